package dev.bootj.cli.install;

import dev.bootj.oci.unpack.SubtreeDeleter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The scratch directory an install unpacks into before the image is written to the disk. It holds
 * a whole OS (hundreds of MB), so it is removed whether the install worked or not.
 */
final class StagingArea {

  private StagingArea() {}

  static void remove(Path staging) {
    try {
      SubtreeDeleter.forThisProcess().delete(staging);
    } catch (IOException e) {
      System.err.println("bootj: warning: could not remove the staging directory " + staging + ": " + e.getMessage());
    }
  }
}
