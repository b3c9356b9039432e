package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image entry itself, not what it links to: its parent directories are resolved inside the root
 * and its own name is looked at with lstat, so a dangling or absolute symlink counts as present.
 */
final class EntryLookup {

  private EntryLookup() {}

  static Optional<Path> entry(ImageRoot root, String imagePath) throws IOException {
    int slash = imagePath.lastIndexOf('/');
    String parent = slash <= 0 ? "/" : imagePath.substring(0, slash);
    Optional<Path> directory = root.find(parent);
    if (directory.isEmpty() || !Files.isDirectory(directory.get())) {
      return Optional.empty();
    }
    Path entry = directory.get().resolve(imagePath.substring(slash + 1));
    return Files.exists(entry, LinkOption.NOFOLLOW_LINKS) ? Optional.of(entry) : Optional.empty();
  }
}
