package dev.bootj.system.image;

import dev.bootj.common.files.RootResolver;
import dev.bootj.common.files.SymlinkLoopException;
import dev.bootj.system.model.OsRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A staged image root seen as the machine will see it: absolute symlinks inside it point into the
 * root, never at the host ({@code /etc/os-release -> ../usr/lib/os-release}, Debian's
 * {@code /vmlinuz -> boot/vmlinuz-6.1.0-...}, or an absolute target).
 */
public record ImageRoot(Path directory) {

  /**
   * The host path of {@code imagePath} ("/usr/lib/os-release"), links resolved within the root;
   * empty when it does not exist or its links loop.
   */
  public Optional<Path> find(String imagePath) throws IOException {
    try {
      return new RootResolver(directory).find(imagePath);
    } catch (SymlinkLoopException loop) {
      return Optional.empty();
    }
  }

  public Optional<Path> findRegularFile(String imagePath) throws IOException {
    return find(imagePath).filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
  }

  /** The image's os-release: /etc/os-release, else /usr/lib/os-release, else empty. */
  public OsRelease osRelease() throws IOException {
    Optional<Path> file = findRegularFile("/etc/os-release");
    if (file.isEmpty()) {
      file = findRegularFile("/usr/lib/os-release");
    }
    return file.isPresent() ? OsRelease.parse(Files.readString(file.get())) : new OsRelease(Map.of());
  }
}
