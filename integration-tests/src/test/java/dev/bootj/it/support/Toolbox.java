package dev.bootj.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Some of the host's own binaries with the shared libraries they load, laid out as in the host's
 * root, so that a {@code FROM scratch} image can {@code RUN} them. No base image can be pulled on
 * these machines, and a full Debian root would cost half a minute per unpack.
 */
public final class Toolbox {

  private Toolbox() {}

  /**
   * Copies each of {@code binaries} (absolute host paths) into {@code root} under the same path,
   * with their libraries and loader.
   */
  public static void copyInto(Path root, String... binaries) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String binary : binaries) {
      files.add(Path.of(binary));
      files.addAll(TestRegistry.sharedLibraries(Path.of(binary)));
    }
    for (Path file : files) {
      Path target = root.resolve(file.toString().substring(1));
      Files.createDirectories(target.getParent());
      // The file a symlink points at, under the name the loader and the shell look for.
      Files.copy(file.toRealPath(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }
}
