package dev.bootj.oci.tree;

import dev.bootj.oci.unpack.LayerListing;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One inode of an {@link ImageTree}: what unpacking the image would leave at a path. Two paths
 * hold the same node when one is a hard link to the other. Directories hold their children. A
 * node knows which layer entry it came from, so its content can be read from that layer alone.
 */
public final class TreeNode {

  /** A directory the layers need but never list: made as the unpacker makes it (mkdir 0755 as root). */
  static final int IMPLIED_DIRECTORY_MODE = 0755;
  static final int SETGID = 02000;

  final LayerListing.Type type;
  int mode;
  long uid;
  long gid;
  /** Null for an implied directory: its mtime is whenever it was made. */
  Instant mtime;
  final long size;
  final String symlinkTarget;
  final long devMajor;
  final long devMinor;
  Map<String, String> xattrs;
  final String contentSha256;
  final TreeMap<String, TreeNode> children;
  /** The layer (0 = base) and entry ordinal this node's content and metadata came from; -1 if implied. */
  final int layer;
  final int ordinal;

  private TreeNode(LayerListing.Type type, int mode, long uid, long gid, Instant mtime, long size, String symlinkTarget,
      long devMajor, long devMinor, Map<String, String> xattrs, String contentSha256, int layer, int ordinal) {
    this.type = type;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.mtime = mtime;
    this.size = size;
    this.symlinkTarget = symlinkTarget;
    this.devMajor = devMajor;
    this.devMinor = devMinor;
    this.xattrs = xattrs;
    this.contentSha256 = contentSha256;
    this.layer = layer;
    this.ordinal = ordinal;
    this.children = type == LayerListing.Type.DIRECTORY ? new TreeMap<>() : null;
  }

  static TreeNode of(LayerListing.Entry entry, int layer, int ordinal) {
    // Linux gives every symlink mode 0777, whatever the tar says.
    int mode = entry.type() == LayerListing.Type.SYMLINK ? 0777 : entry.mode();
    return new TreeNode(entry.type(), mode, entry.uid(), entry.gid(), entry.mtime(), entry.size(),
        entry.symlinkTarget(), entry.devMajor(), entry.devMinor(), entry.xattrs(), entry.contentSha256(), layer, ordinal);
  }

  /** The root before any layer: an empty directory owned by root. */
  static TreeNode emptyRoot() {
    return implied(0);
  }

  static TreeNode implied(long gid) {
    return new TreeNode(LayerListing.Type.DIRECTORY, IMPLIED_DIRECTORY_MODE, 0, gid, null, 0, null, 0, 0, Map.of(), null,
        -1, -1);
  }

  public boolean isDirectory() {
    return type == LayerListing.Type.DIRECTORY;
  }

  /** A regular file (not a directory, link, device or FIFO). */
  public boolean isRegularFile() {
    return type == LayerListing.Type.FILE;
  }

  public LayerListing.Type type() {
    return type;
  }

  public int mode() {
    return mode;
  }

  public long uid() {
    return uid;
  }

  public long gid() {
    return gid;
  }

  /** Null for a directory no layer lists (its time is whenever it was made). */
  public Instant mtime() {
    return mtime;
  }

  public long size() {
    return size;
  }

  public String symlinkTarget() {
    return symlinkTarget;
  }

  public long devMajor() {
    return devMajor;
  }

  public long devMinor() {
    return devMinor;
  }

  /** Name to base64 value. */
  public Map<String, String> xattrs() {
    return xattrs;
  }

  public String contentSha256() {
    return contentSha256;
  }

  /** Which layer of the image (0 = base) holds this node's entry; -1 for an implied directory. */
  public int layer() {
    return layer;
  }

  /** The entry's position in its layer, as {@link LayerListing#stream} counts; -1 for an implied directory. */
  public int ordinal() {
    return ordinal;
  }

  /** A directory's children by name (empty for other types); read-only. */
  public Map<String, TreeNode> children() {
    return children == null ? Map.of() : Collections.unmodifiableMap(children);
  }

  /** A directory entry for a directory that stays: its children stay, its metadata is the entry's. */
  void takeMetadata(LayerListing.Entry entry) {
    mode = entry.mode();
    uid = entry.uid();
    gid = entry.gid();
    mtime = entry.mtime();
    xattrs = entry.xattrs();
  }

  /**
   * Whether the node itself differs, as podman's and Docker's layer diff decide it (type, mode,
   * owner, device numbers; for non-directories also size and mtime, where a time without
   * nanoseconds matches any within its second), and stricter in two ways that matter to an update:
   * a file whose content changed but kept its size and mtime differs, and so does any xattr change.
   */
  public boolean differsFrom(TreeNode other) {
    if (type != other.type || mode != other.mode || uid != other.uid || gid != other.gid
        || devMajor != other.devMajor || devMinor != other.devMinor || !xattrs.equals(other.xattrs)) {
      return true;
    }
    if (isDirectory()) {
      return false;
    }
    return size != other.size || !sameTime(mtime, other.mtime) || !Objects.equals(symlinkTarget, other.symlinkTarget)
        || !Objects.equals(contentSha256, other.contentSha256);
  }

  private static boolean sameTime(Instant a, Instant b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.getEpochSecond() == b.getEpochSecond() && (a.getNano() == b.getNano() || a.getNano() == 0 || b.getNano() == 0);
  }
}
