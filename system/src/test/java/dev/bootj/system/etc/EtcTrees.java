package dev.bootj.system.etc;

import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Builds the three input trees of a merge test: old (/usr/etc), current (/etc) and new. */
final class EtcTrees {

  final Path old;
  final Path current;
  final Path fresh;
  final Path target;

  EtcTrees(Path dir) throws IOException {
    old = Files.createDirectory(dir.resolve("old"));
    current = Files.createDirectory(dir.resolve("current"));
    fresh = Files.createDirectory(dir.resolve("new"));
    target = dir.resolve("merged");
  }

  /** The same file in old and current (the user did not touch it). */
  EtcTrees pristine(String path, String content) throws IOException {
    file(old, path, content);
    file(current, path, content);
    return this;
  }

  /** The same file in all three trees. */
  EtcTrees everywhere(String path, String content) throws IOException {
    pristine(path, content);
    file(fresh, path, content);
    return this;
  }

  static Path file(Path root, String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }

  static Path dir(Path root, String path) throws IOException {
    return Files.createDirectories(root.resolve(path));
  }

  static Path symlink(Path root, String path, String target) throws IOException {
    Path link = root.resolve(path);
    Files.createDirectories(link.getParent());
    PosixCalls.symlink(target, link);
    return link;
  }

  static void mode(Path root, String path, int mode) throws IOException {
    PosixCalls.chmod(root.resolve(path), mode);
  }

  static void xattr(Path root, String path, String name, String value) throws IOException {
    PosixCalls.setXattr(root.resolve(path), name, value.getBytes(StandardCharsets.UTF_8));
  }

  EtcMergePlan plan() throws IOException {
    return new EtcMerge().plan(old, current, fresh);
  }

  /** Plans and applies; returns the merged tree. */
  Path merge() throws IOException {
    EtcMerge merge = new EtcMerge();
    merge.apply(merge.plan(old, current, fresh), target);
    return target;
  }

  static String read(Path root, String path) throws IOException {
    return Files.readString(root.resolve(path));
  }

  static boolean exists(Path root, String path) {
    return Files.exists(root.resolve(path), LinkOption.NOFOLLOW_LINKS);
  }

  static int modeOf(Path root, String path) throws IOException {
    return (Integer) Files.getAttribute(root.resolve(path), "unix:mode", LinkOption.NOFOLLOW_LINKS)
        & 07777;
  }
}
