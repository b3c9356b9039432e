package dev.bootj.oci.tree;

import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.MetadataWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Turns a directory that holds one image's files into another image's, writing only what differs:
 * the cost follows the change, not the size of the image. {@link #plan} compares the directory, path
 * by path, with the target tree and with the tree it is known to have held ({@code current}); a
 * non-directory is kept only when it still has the metadata the current tree gives it (so nothing
 * changed it since) and the target gives it the same content and metadata. {@link #extract} then
 * reads the content of the files to write from the layers that hold them, and only those layers,
 * into a scratch directory on the same filesystem; nothing the directory holds changes until
 * {@link #apply}, which deletes, renames the new files into place, links, and gives directories
 * their metadata and mtimes.
 *
 * <p>The result is what unpacking the target image gives, path for path (type, mode, owner,
 * content, symlink target, device numbers, xattrs, hard links, mtimes; a directory no layer lists
 * has whatever time it was made). Paths the {@code skipped} predicate names (relative, "/"-separated)
 * are neither compared nor touched: the caller owns them.
 *
 * <p>Runs as root. Not safe against a concurrent writer of the directory.
 */
public final class TreePatcher {

  /** Opens the uncompressed tar of the target image's layer {@code index} (0 = base). */
  @FunctionalInterface
  public interface LayerOpener {
    InputStream open(int index) throws IOException;
  }

  /** What {@link #apply} will do; counts are for the report. */
  public static final class Plan {
    private final List<String> deletions = new ArrayList<>();
    /** Paths to (re)create, parents before children, with the node each must become. */
    private final LinkedHashMap<String, TreeNode> writes = new LinkedHashMap<>();
    private final List<String> directoryFixes = new ArrayList<>();
    private final Map<String, TreeNode> directories = new TreeMap<>(ImageDiff.TREE_ORDER);
    private TreeNode rootNode;
    private int kept;

    public int deletions() {
      return deletions.size();
    }

    public int writes() {
      return writes.size();
    }

    public int kept() {
      return kept;
    }

    /** Content bytes of the regular files to write. */
    public long bytesToWrite() {
      return distinctFiles().stream().mapToLong(TreeNode::size).sum();
    }

    /** The target layers whose content is needed (0 = base). */
    public TreeSet<Integer> layersToRead() {
      TreeSet<Integer> layers = new TreeSet<>();
      distinctFiles().forEach(n -> layers.add(n.layer));
      return layers;
    }

    private List<TreeNode> distinctFiles() {
      Map<TreeNode, Boolean> seen = new IdentityHashMap<>();
      List<TreeNode> files = new ArrayList<>();
      for (TreeNode node : writes.values()) {
        if (node.type == LayerListing.Type.FILE && seen.put(node, Boolean.TRUE) == null) {
          files.add(node);
        }
      }
      return files;
    }
  }

  /** Where a node is made before it is renamed over its path; one at a time, so one name per directory. */
  private static final String TEMPORARY_NAME = ".bootj-patch-new";

  private final Path root;
  private final Predicate<String> skipped;
  private final MetadataWriter metadata;

  /**
   * @param root the directory to turn into the target's tree
   * @param skipped relative paths left alone (with everything under them)
   */
  public TreePatcher(Path root, Predicate<String> skipped, Consumer<String> warnings) {
    this.root = root;
    this.skipped = skipped;
    this.metadata = MetadataWriter.asRoot(warnings);
  }

  /**
   * Compares the directory with {@code target}; {@code current} is the tree it held when it was
   * last complete, or null when unknown (then every file is written again). Writes nothing.
   */
  public Plan plan(TreeNode target, TreeNode current) throws IOException {
    Plan plan = new Plan();
    plan.rootNode = target;
    Map<TreeNode, List<String>> linkPaths = new IdentityHashMap<>();
    Map<String, Object> keptInodes = new HashMap<>();
    walk(plan, "", root, target, current, linkPaths, keptInodes);
    // A hard-link group is kept only if every path of it is kept and they still share one inode.
    for (Map.Entry<TreeNode, List<String>> group : linkPaths.entrySet()) {
      List<String> paths = group.getValue();
      if (paths.size() < 2) {
        continue;
      }
      boolean whole = paths.stream().allMatch(keptInodes::containsKey)
          && paths.stream().map(keptInodes::get).distinct().count() == 1;
      if (!whole) {
        for (String path : paths) {
          if (keptInodes.remove(path) != null) {
            plan.kept--;
          }
          plan.writes.put(path, group.getKey());
        }
      }
    }
    List<Map.Entry<String, TreeNode>> ordered = new ArrayList<>(plan.writes.entrySet());
    ordered.sort(Map.Entry.comparingByKey(ImageDiff.TREE_ORDER));
    plan.writes.clear();
    ordered.forEach(e -> plan.writes.put(e.getKey(), e.getValue()));
    return plan;
  }

  /**
   * @param directory the directory on disk, or null when there is none (nothing on disk below it
   *     is then looked at: a symlink in its place is never followed)
   */
  private void walk(Plan plan, String relative, Path directory, TreeNode want, TreeNode had,
      Map<TreeNode, List<String>> linkPaths, Map<String, Object> keptInodes) throws IOException {
    TreeSet<String> names = new TreeSet<>(want.children.keySet());
    if (directory != null) {
      try (var children = Files.newDirectoryStream(directory)) {
        children.forEach(c -> names.add(c.getFileName().toString()));
      }
    }
    for (String name : names) {
      TerminationSignals.checkpoint();
      String path = relative.isEmpty() ? name : relative + "/" + name;
      if (skipped.test(path)) {
        continue;
      }
      Path onDisk = directory == null ? null : directory.resolve(name);
      TreeNode wanted = want.children.get(name);
      TreeNode before = had != null && had.isDirectory() ? had.children.get(name) : null;
      Map<String, Object> attributes = onDisk == null ? null : lstat(onDisk);
      if (wanted == null) {
        plan.deletions.add(path);
        continue;
      }
      if (wanted.isDirectory()) {
        plan.directories.put(path, wanted);
        if (attributes != null && !isDirectory(attributes)) {
          plan.deletions.add(path);
          attributes = null;
        }
        if (attributes == null) {
          plan.writes.put(path, wanted);
        } else if (!sameDirectoryMetadata(attributes, onDisk, wanted)) {
          plan.directoryFixes.add(path);
        }
        walk(plan, path, attributes == null ? null : onDisk, wanted, before, linkPaths, keptInodes);
        continue;
      }
      linkPaths.computeIfAbsent(wanted, n -> new ArrayList<>()).add(path);
      boolean keep = attributes != null && before != null && !before.differsFrom(wanted)
          && matches(attributes, onDisk, wanted);
      if (keep) {
        plan.kept++;
        keptInodes.put(path, attributes.get("ino"));
      } else {
        if (attributes != null && isDirectory(attributes)) {
          plan.deletions.add(path);
        }
        plan.writes.put(path, wanted);
      }
    }
  }

  /**
   * Reads the content of every regular file the plan writes from its layer, each needed layer once,
   * into {@code scratch} (created; on the same filesystem as the directory), with its metadata.
   */
  public void extract(Plan plan, LayerOpener layers, Path scratch) throws IOException {
    Files.createDirectories(scratch);
    Map<Integer, Map<Integer, TreeNode>> byLayer = new TreeMap<>();
    for (TreeNode node : plan.distinctFiles()) {
      byLayer.computeIfAbsent(node.layer, l -> new HashMap<>()).put(node.ordinal, node);
    }
    for (Map.Entry<Integer, Map<Integer, TreeNode>> layer : byLayer.entrySet()) {
      Map<Integer, TreeNode> wanted = layer.getValue();
      try (InputStream tar = layers.open(layer.getKey())) {
        LayerListing.stream(tar, (ordinal, entry, content) -> {
          TreeNode node = wanted.get(ordinal);
          if (node == null) {
            return;
          }
          Path file = scratchFile(scratch, node);
          try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
            content.copyTo(out);
          }
          applyMetadata(file, node);
        });
      }
    }
  }

  /** Makes the directory the target's tree: deletions, then writes in tree order, then directory metadata. */
  public void apply(Plan plan, Path scratch) throws IOException {
    SubtreeDeleter deleter = SubtreeDeleter.forThisProcess();
    for (String path : plan.deletions) {
      deleter.delete(root.resolve(path));
    }
    Map<TreeNode, Path> written = new IdentityHashMap<>();
    for (Map.Entry<String, TreeNode> write : plan.writes.entrySet()) {
      TerminationSignals.checkpoint();
      Path target = root.resolve(write.getKey());
      TreeNode node = write.getValue();
      if (node.isDirectory()) {
        Files.createDirectory(target);
        applyMetadata(target, node);
        continue;
      }
      Path temporary = target.resolveSibling(TEMPORARY_NAME);
      Files.deleteIfExists(temporary);
      Path first = written.get(node);
      if (first != null) {
        Files.createLink(temporary, first);
      } else if (node.type == LayerListing.Type.FILE) {
        Files.move(scratchFile(scratch, node), temporary, StandardCopyOption.ATOMIC_MOVE);
      } else {
        create(temporary, node);
        applyMetadata(temporary, node);
      }
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      written.putIfAbsent(node, target);
    }
    for (String path : plan.directoryFixes) {
      applyMetadata(root.resolve(path), plan.directories.get(path));
    }
    // Last: every write above changed some directory's mtime.
    for (Map.Entry<String, TreeNode> directory : plan.directories.entrySet()) {
      if (directory.getValue().mtime != null) {
        metadata.times(root.resolve(directory.getKey()), directory.getValue().mtime);
      }
    }
    TreeNode top = plan.rootNode;
    applyMetadata(root, top);
    if (top.mtime != null) {
      metadata.times(root, top.mtime);
    }
    SubtreeDeleter.forThisProcess().delete(scratch);
  }

  private void create(Path path, TreeNode node) throws IOException {
    switch (node.type) {
      case SYMLINK -> PosixCalls.symlink(node.symlinkTarget, path);
      case FIFO -> PosixCalls.mknod(path, PosixCalls.S_IFIFO, node.mode, 0, 0);
      case CHAR_DEVICE -> PosixCalls.mknod(path, PosixCalls.S_IFCHR, node.mode, node.devMajor, node.devMinor);
      case BLOCK_DEVICE -> PosixCalls.mknod(path, PosixCalls.S_IFBLK, node.mode, node.devMajor, node.devMinor);
      default -> throw new IllegalStateException("not created here: " + node.type);
    }
  }

  private void applyMetadata(Path path, TreeNode node) throws IOException {
    Map<String, byte[]> xattrs = new TreeMap<>();
    node.xattrs.forEach((k, v) -> xattrs.put(k, Base64.getDecoder().decode(v)));
    metadata.apply(path, node.type == LayerListing.Type.SYMLINK, node.uid, node.gid, node.mode, xattrs,
        node.isDirectory() ? null : node.mtime);
  }

  private static Path scratchFile(Path scratch, TreeNode node) {
    return scratch.resolve(node.layer + "-" + node.ordinal);
  }

  private static Map<String, Object> lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private static boolean isDirectory(Map<String, Object> attributes) {
    return ((Integer) attributes.get("mode") & 0170000) == 0040000;
  }

  private static boolean sameDirectoryMetadata(Map<String, Object> attributes, Path path, TreeNode wanted)
      throws IOException {
    return ((Integer) attributes.get("mode") & 07777) == wanted.mode
        && ((Integer) attributes.get("uid")) == wanted.uid && ((Integer) attributes.get("gid")) == wanted.gid
        && xattrs(path).equals(withoutHostXattrs(wanted.xattrs));
  }

  /** Whether what is on disk is exactly the node: type, mode, owner, size, mtime, target, device, xattrs. */
  private static boolean matches(Map<String, Object> attributes, Path path, TreeNode wanted) throws IOException {
    int mode = (Integer) attributes.get("mode");
    if (typeOf(mode) != wanted.type) {
      return false;
    }
    boolean symlink = wanted.type == LayerListing.Type.SYMLINK;
    if ((!symlink && (mode & 07777) != wanted.mode) || ((Integer) attributes.get("uid")) != wanted.uid
        || ((Integer) attributes.get("gid")) != wanted.gid) {
      return false;
    }
    Instant mtime = ((FileTime) attributes.get("lastModifiedTime")).toInstant();
    // mkfs.ext4 -d (a slot written in full) keeps whole seconds only: such a time matches its
    // second, as podman's diff also decides. A file the machine rewrote has a time of its own.
    if (wanted.mtime == null || !(mtime.equals(wanted.mtime)
        || (mtime.getNano() == 0 && mtime.getEpochSecond() == wanted.mtime.getEpochSecond()))) {
      return false;
    }
    switch (wanted.type) {
      case FILE:
        return (Long) attributes.get("size") == wanted.size && xattrs(path).equals(withoutHostXattrs(wanted.xattrs));
      case SYMLINK:
        return Objects.equals(PosixCalls.readlink(path), wanted.symlinkTarget);
      case CHAR_DEVICE:
      case BLOCK_DEVICE:
        return (Long) attributes.get("rdev") == PosixCalls.makedev(wanted.devMajor, wanted.devMinor)
            && xattrs(path).equals(withoutHostXattrs(wanted.xattrs));
      default:
        return xattrs(path).equals(withoutHostXattrs(wanted.xattrs));
    }
  }

  private static LayerListing.Type typeOf(int mode) {
    return switch (mode & 0170000) {
      case 0040000 -> LayerListing.Type.DIRECTORY;
      case 0120000 -> LayerListing.Type.SYMLINK;
      case 0010000 -> LayerListing.Type.FIFO;
      case 0020000 -> LayerListing.Type.CHAR_DEVICE;
      case 0060000 -> LayerListing.Type.BLOCK_DEVICE;
      default -> LayerListing.Type.FILE;
    };
  }

  /** The unpacker never sets the host's own xattrs, whatever a layer says. */
  private static Map<String, String> withoutHostXattrs(Map<String, String> xattrs) {
    Map<String, String> kept = new TreeMap<>(xattrs);
    kept.keySet().removeAll(MetadataWriter.HOST_XATTRS);
    return kept;
  }

  /** The path's xattrs as the tree holds them (base64), without the host's own. */
  private static Map<String, String> xattrs(Path path) throws IOException {
    Map<String, String> values = new TreeMap<>();
    for (String name : PosixCalls.listXattrs(path)) {
      if (!MetadataWriter.HOST_XATTRS.contains(name)) {
        byte[] value = PosixCalls.getXattr(path, name);
        if (value != null) {
          values.put(name, Base64.getEncoder().encodeToString(value));
        }
      }
    }
    return values;
  }
}
