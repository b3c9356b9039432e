package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Absolute, symlink-free paths, as containers/image's {@code explicitfilepath} makes them. */
final class ExplicitPath {
  private ExplicitPath() {}

  /**
   * An existing path is resolved entirely; a missing one (a destination about to be written)
   * keeps its last component under its resolved parent.
   */
  static Path resolve(Path path) throws BootjException {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        return absolute.toRealPath();
      }
      Path parent = absolute.getParent();
      if (parent == null) {
        return absolute;
      }
      return parent.toRealPath().resolve(absolute.getFileName());
    } catch (NoSuchFileException e) {
      throw new BootjException(
          BootjException.Kind.SYSTEM,
          "cannot resolve " + path + " to choose its signature policy scope: " + e.getFile() + " does not exist",
          e);
    } catch (IOException e) {
      throw new BootjException(
          BootjException.Kind.SYSTEM,
          "cannot resolve " + path + " to choose its signature policy scope: " + e.getMessage()
              + "; check that the path and its parent directories exist",
          e);
    }
  }
}
