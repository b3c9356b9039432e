package dev.bootj.cli.install;

import dev.bootj.common.files.SubtreeDeleter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The scratch directory an install unpacks into before the image is written to the disk. It holds
 * a whole OS (hundreds of MB), so it is removed whether the install worked or not.
 */
public final class StagingArea {

  private StagingArea() {}

  public static void remove(Path staging, PrintWriter err) {
    try {
      SubtreeDeleter.forThisProcess().delete(staging);
    } catch (IOException e) {
      err.println("bootj: warning: could not remove the staging directory " + staging + ": " + e.getMessage());
      err.flush();
    }
  }
}
