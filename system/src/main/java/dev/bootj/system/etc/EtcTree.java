package dev.bootj.system.etc;

import dev.bootj.common.BootjException;
import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of one /etc tree's metadata, by relative path, sorted so that a directory always
 * comes before everything inside it. Content is not read here; it is compared and copied from
 * {@link EtcEntry#location()} later, so capturing a tree stays cheap.
 */
public final class EtcTree {

  private final Path root;
  private final SortedMap<String, EtcEntry> entries;

  private EtcTree(Path root, SortedMap<String, EtcEntry> entries) {
    this.root = root;
    this.entries = Collections.unmodifiableSortedMap(entries);
  }

  public Path root() {
    return root;
  }

  /** Every entry, the root ("") first; a directory before its contents. */
  public SortedMap<String, EtcEntry> entries() {
    return entries;
  }

  /** The entry at a relative path, or null when the tree has none. */
  public EtcEntry get(String path) {
    return entries.get(path);
  }

  /**
   * Walks {@code root} without following any symlink, including one at the root: an /etc that
   * is itself a symlink would make bootj read or write somewhere outside the slot.
   */
  public static EtcTree capture(Path root) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new BootjException(BootjException.Kind.SYSTEM,
          root + " is not a directory (a symlink is not accepted); cannot compare /etc trees");
    }
    SortedMap<String, EtcEntry> entries = new TreeMap<>(EtcTree::compareRelativePaths);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        add(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        add(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
      }

      private void add(Path path) throws IOException {
        EtcEntry entry = read(root, path);
        entries.put(entry.path(), entry);
      }
    });
    return new EtcTree(root, entries);
  }

  /**
   * Orders paths component by component, so "a" < "a/b" < "a-b": every directory precedes its
   * contents, and the contents of one directory stay together.
   */
  static int compareRelativePaths(String a, String b) {
    return a.replace('/', '\0').compareTo(b.replace('/', '\0'));
  }

  private static EtcEntry read(Path root, Path path) throws IOException {
    Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    int stMode = (Integer) unix.get("mode");
    EtcEntryType type = EtcEntryType.fromStatMode(stMode);
    String relative = root.relativize(path).toString();
    return new EtcEntry(
        relative,
        path,
        type,
        stMode & 07777,
        (Integer) unix.get("uid"),
        (Integer) unix.get("gid"),
        type == EtcEntryType.FILE ? (Long) unix.get("size") : 0L,
        type == EtcEntryType.SYMLINK ? PosixCalls.readlink(path) : null,
        (Long) unix.get("rdev"),
        readXattrs(path),
        (FileTime) unix.get("lastModifiedTime"),
        unix.get("dev") + ":" + unix.get("ino"),
        (Integer) unix.get("nlink"));
  }

  private static SortedMap<String, String> readXattrs(Path path) throws IOException {
    SortedMap<String, String> xattrs = new TreeMap<>();
    try {
      for (String name : PosixCalls.listXattrs(path)) {
        byte[] value = PosixCalls.getXattr(path, name);
        if (value != null) {
          xattrs.put(name, HexFormat.of().formatHex(value));
        }
      }
    } catch (PosixCalls.XattrException e) {
      // A filesystem without xattr support has none to compare or keep.
      if (e.errno() != PosixCalls.EOPNOTSUPP) {
        throw e;
      }
    }
    return xattrs;
  }
}
