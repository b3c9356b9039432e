package dev.bootj.system.image;

import static dev.bootj.common.ByteSize.MIB;

import dev.bootj.common.ByteSize;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How much space a staged root will take once written to a filesystem: the part that goes into a
 * root slot (everything but /var, with /etc counted twice for its /usr/etc copy) and the part
 * seeded onto the state partition (/var).
 *
 * <p>Each file counts its size rounded up to a 4 KiB block, each directory and long symlink one
 * block, and every hard-linked inode once. A filesystem also needs room for its own metadata
 * (inode tables, journal, reserved blocks): {@link #neededFilesystemSize} adds 10% + 128 MiB, which
 * is comfortably more than ext4 and xfs use at these sizes.
 */
public record RootFootprint(long rootBytes, long varBytes) {

  static final long BLOCK = 4096;
  // ext4 keeps symlink targets shorter than 60 bytes inside the inode.
  static final int INLINE_SYMLINK = 60;

  public static long neededFilesystemSize(long contentBytes) {
    return contentBytes + contentBytes / 10 + 128 * MIB;
  }

  public static RootFootprint measure(Path root) throws IOException {
    Path var = root.resolve("var");
    Path etc = root.resolve("etc");
    long[] rootBytes = {0};
    long[] varBytes = {0};
    Set<Object> seenInodes = new HashSet<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        add(dir, BLOCK);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        long bytes = 0;
        if (attrs.isRegularFile()) {
          Map<String, Object> unix = Files.readAttributes(file, "unix:nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
          boolean firstLink = (Integer) unix.get("nlink") == 1
              || seenInodes.add(unix.get("dev") + ":" + unix.get("ino"));
          bytes = firstLink ? ByteSize.roundUp(attrs.size(), BLOCK) : 0;
        } else if (attrs.isSymbolicLink() && attrs.size() >= INLINE_SYMLINK) {
          bytes = BLOCK;
        }
        add(file, bytes);
        return FileVisitResult.CONTINUE;
      }

      private void add(Path path, long bytes) {
        if (path.startsWith(var)) {
          varBytes[0] += bytes;
        } else {
          // /etc is stored twice in a slot: as itself and as the pristine copy in /usr/etc.
          rootBytes[0] += path.startsWith(etc) ? 2 * bytes : bytes;
        }
      }
    });
    return new RootFootprint(rootBytes[0], varBytes[0]);
  }
}
