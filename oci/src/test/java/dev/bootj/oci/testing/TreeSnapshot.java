package dev.bootj.oci.testing;

import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Everything observable about a directory tree that an unpacker must get right, per relative
 * path: type and full st_mode, owner, size and content hash, symlink target, device number, all
 * xattrs as bytes, mtime, and which paths share an inode. The root directory itself is left out.
 * Two snapshots {@link #diff} into readable lines, one per difference.
 */
public final class TreeSnapshot {

  /** One path's state; {@code hardLinkGroup} is the first path (sorted) sharing its inode, or null. */
  public record Node(
      String type,
      int mode,
      int uid,
      int gid,
      long size,
      String sha256,
      String linkTarget,
      long rdev,
      SortedMap<String, String> xattrs,
      Instant mtime,
      String hardLinkGroup) {}

  private final SortedMap<String, Node> nodes;

  private TreeSnapshot(SortedMap<String, Node> nodes) {
    this.nodes = nodes;
  }

  public SortedMap<String, Node> nodes() {
    return nodes;
  }

  public Node node(String relativePath) {
    return nodes.get(relativePath);
  }

  public static TreeSnapshot capture(Path root) throws IOException {
    SortedMap<String, Map<String, Object>> attributes = new TreeMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(p -> !p.equals(root)).toList();
    }
    for (Path path : paths) {
      attributes.put(root.relativize(path).toString(),
          Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS));
    }
    // The first path of each multiply-linked inode names its group.
    Map<String, String> groupByInode = new TreeMap<>();
    for (Map.Entry<String, Map<String, Object>> entry : attributes.entrySet()) {
      Map<String, Object> a = entry.getValue();
      if ((Integer) a.get("nlink") > 1 && !(Boolean) a.get("isDirectory")) {
        groupByInode.putIfAbsent(a.get("dev") + ":" + a.get("ino"), entry.getKey());
      }
    }
    SortedMap<String, Node> nodes = new TreeMap<>();
    for (Map.Entry<String, Map<String, Object>> entry : attributes.entrySet()) {
      Path path = root.resolve(entry.getKey());
      Map<String, Object> a = entry.getValue();
      int mode = (Integer) a.get("mode");
      String type = typeOf(mode);
      boolean regular = type.equals("file");
      boolean device = type.equals("char") || type.equals("block");
      SortedMap<String, String> xattrs = new TreeMap<>();
      for (String name : PosixCalls.listXattrs(path)) {
        byte[] value = PosixCalls.getXattr(path, name);
        xattrs.put(name, value == null ? "<gone>" : HexFormat.of().formatHex(value));
      }
      String group = null;
      if ((Integer) a.get("nlink") > 1 && !type.equals("dir")) {
        group = groupByInode.get(a.get("dev") + ":" + a.get("ino"));
      }
      nodes.put(entry.getKey(), new Node(
          type,
          mode,
          (Integer) a.get("uid"),
          (Integer) a.get("gid"),
          regular ? (Long) a.get("size") : 0,
          regular ? sha256(path) : null,
          type.equals("symlink") ? PosixCalls.readlink(path) : null,
          device ? (Long) a.get("rdev") : 0,
          xattrs,
          ((FileTime) a.get("lastModifiedTime")).toInstant(),
          group));
    }
    return new TreeSnapshot(nodes);
  }

  /** What differs from {@code other}, one readable line per path and field; empty when equal. */
  public List<String> diff(TreeSnapshot other) {
    return diff(other, path -> true);
  }

  /**
   * As {@link #diff(TreeSnapshot)}, comparing mtimes only where {@code mtimeMatters} says so: a
   * directory a layer never names but needs (no tar entry of its own) is made "now" by every
   * unpacker, so its mtime cannot match between two unpacks.
   */
  public List<String> diff(TreeSnapshot other, Predicate<String> mtimeMatters) {
    List<String> differences = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(nodes.keySet());
    paths.addAll(other.nodes.keySet());
    for (String path : paths) {
      Node mine = nodes.get(path);
      Node theirs = other.nodes.get(path);
      if (mine == null) {
        differences.add(path + ": only in the other tree (" + theirs.type() + ")");
      } else if (theirs == null) {
        differences.add(path + ": only in this tree (" + mine.type() + ")");
      } else {
        compare(differences, path, "type", mine.type(), theirs.type());
        compare(differences, path, "mode", Integer.toOctalString(mine.mode()), Integer.toOctalString(theirs.mode()));
        compare(differences, path, "uid", mine.uid(), theirs.uid());
        compare(differences, path, "gid", mine.gid(), theirs.gid());
        compare(differences, path, "size", mine.size(), theirs.size());
        compare(differences, path, "sha256", mine.sha256(), theirs.sha256());
        compare(differences, path, "symlink target", mine.linkTarget(), theirs.linkTarget());
        compare(differences, path, "rdev", mine.rdev(), theirs.rdev());
        compare(differences, path, "xattrs", mine.xattrs(), theirs.xattrs());
        if (mtimeMatters.test(path)) {
          compare(differences, path, "mtime", mine.mtime(), theirs.mtime());
        }
        compare(differences, path, "hard link group", mine.hardLinkGroup(), theirs.hardLinkGroup());
      }
    }
    return differences;
  }

  private static void compare(List<String> out, String path, String field, Object mine, Object theirs) {
    if (!Objects.equals(mine, theirs)) {
      out.add(path + ": " + field + " " + mine + " != " + theirs);
    }
  }

  private static String typeOf(int mode) {
    switch (mode & 0170000) {
      case 0100000:
        return "file";
      case 0040000:
        return "dir";
      case 0120000:
        return "symlink";
      case 0020000:
        return "char";
      case 0060000:
        return "block";
      case 0010000:
        return "fifo";
      case 0140000:
        return "socket";
      default:
        return "unknown";
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = Digest.newSha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
