package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Visits what lies below one directory of an image, as the image will hold it. Symlinks are reported,
 * never followed, and a directory on another filesystem than the root is skipped: during a
 * {@code RUN} step, what the builder mounts there (a cache, a secret, a tmpfs) is not part of the
 * image.
 */
final class ImageTreeWalker {

  private final ImageRoot root;

  ImageTreeWalker(ImageRoot root) {
    this.root = root;
  }

  /**
   * Calls {@code visitor} with the image path ("/var/log/x") of every entry below {@code imagePath}
   * that is not a directory. Nothing happens when {@code imagePath} is missing or not a directory.
   */
  void nonDirectoriesBelow(String imagePath, Consumer<String> visitor) throws IOException {
    Optional<Path> start = root.find(imagePath);
    if (start.isEmpty() || !Files.isDirectory(start.get(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object rootDevice = device(root.directory());
    Path top = start.get();
    String prefix = imagePath.endsWith("/") ? imagePath : imagePath + "/";
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        return device(dir).equals(rootDevice) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        visitor.accept(prefix + top.relativize(file).toString());
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static Object device(Path path) throws IOException {
    return Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
  }
}
