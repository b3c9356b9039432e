package dev.bootj.oci.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.testing.RandomLayers;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.unpack.InvalidLayerException;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree computed from listings must be exactly what {@link LayerUnpacker} writes for the same
 * layers: every path, type, mode, owner, size, content, symlink target, mtime, user xattr and
 * hard-link group. The unpacker is checked against umoci and GNU tar elsewhere, so this ties the
 * model to the reference tools too.
 */
class ImageTreeTest {

  @TempDir Path temp;

  @Test
  void mergedUsrSymlinksWhiteoutsOpaqueDirectoriesAndHardLinks() throws Exception {
    TarBuilder base = new TarBuilder();
    base.dir("usr").mode(0755);
    base.dir("usr/bin");
    base.symlink("bin", "usr/bin");
    base.symlink("lib", "/usr/lib");
    base.file("usr/bin/sh", "shell").mode(0755);
    base.hardlink("usr/bin/sh.link", "usr/bin/sh");
    base.dir("etc");
    base.file("etc/gone", "deleted by a whiteout");
    base.dir("etc/old.d");
    base.file("etc/old.d/a", "a");
    base.dir("opt").mode(0700);
    base.file("opt/lower", "hidden by an opaque marker");
    base.dir("srv").mode(02775).owner(0, 50);
    base.file("replaced", "a file that becomes a directory");
    base.dir("becomes-file");
    base.file("becomes-file/child", "x");
    TarBuilder upper = new TarBuilder();
    upper.file("bin/added-through-link", "written under usr/bin");
    upper.file("lib/modules/6.1/vmlinuz", "implied parents under an absolute link");
    upper.whiteout("etc/gone");
    upper.whiteout("etc/old.d");
    upper.file("opt/mine-before", "survives");
    upper.opaque("opt");
    upper.file("opt/mine-after", "survives too");
    upper.file("srv/deep/file", "implied parent inherits setgid and group 50");
    upper.dir("replaced");
    upper.file("becomes-file", "now a file");
    upper.file("usr/bin/sh", "new shell").mode(0750).mtime(1_700_000_000L, 123_000_000);
    upper.dir("./").mode(0711).mtime(1_650_000_000L);
    assertSameAsUnpack(List.of(base.build(), upper.build()));
  }

  @Test
  void randomLayersGiveTheTreeTheUnpackerWrites() throws Exception {
    long seed = Long.getLong("bootj.test.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int round = 0; round < 100; round++) {
      List<byte[]> layers = new ArrayList<>();
      int count = 1 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        layers.add(RandomLayers.layer(random));
      }
      Path root = Files.createDirectory(temp.resolve("round-" + round));
      try {
        assertSameAsUnpack(layers, root);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " round " + round + " (rerun with -Dbootj.test.seed=" + seed + ")", e);
      }
    }
  }

  @Test
  void aHardLinkReplacingADirectoryThatHoldsItsTargetIsRefusedByBoth() throws Exception {
    TarBuilder layer = new TarBuilder();
    layer.dir("b");
    layer.dir("b/b");
    layer.file("b/b/c", "the target");
    layer.hardlink("b", "b/b/c");
    assertThatThrownBy(() -> ImageTree.of(List.of(list(layer.build())))).isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("inside the path it replaces");
    Path root = Files.createDirectory(temp.resolve("refused-link"));
    assertThatThrownBy(() -> new LayerUnpacker(root, w -> {}).apply(new ByteArrayInputStream(layer.build())))
        .isInstanceOf(InvalidLayerException.class).hasMessageContaining("inside the path it replaces");
  }

  @Test
  void aLayerTheUnpackerRefusesIsRefusedHereToo() throws Exception {
    TarBuilder base = new TarBuilder();
    base.file("etc", "a file where a directory is needed");
    TarBuilder upper = new TarBuilder();
    upper.file("etc/hostname", "x");
    List<List<LayerListing.Entry>> listings = List.of(list(base.build()), list(upper.build()));
    assertThatThrownBy(() -> ImageTree.of(listings)).isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("needs 'etc' to be a directory");
    Path root = Files.createDirectory(temp.resolve("refused"));
    LayerUnpacker unpacker = new LayerUnpacker(root, w -> {});
    unpacker.apply(new ByteArrayInputStream(base.build()));
    assertThatThrownBy(() -> unpacker.apply(new ByteArrayInputStream(upper.build())))
        .isInstanceOf(InvalidLayerException.class).hasMessageContaining("needs 'etc' to be a directory");
  }

  private void assertSameAsUnpack(List<byte[]> layers) throws Exception {
    assertSameAsUnpack(layers, Files.createDirectory(temp.resolve("root")));
  }

  /** Both refuse, with the same kind of error, or both succeed with the same tree. */
  private void assertSameAsUnpack(List<byte[]> layers, Path root) throws Exception {
    LayerUnpacker unpacker = new LayerUnpacker(root, w -> {});
    Exception unpackError = null;
    List<List<LayerListing.Entry>> listedByUnpacker = new ArrayList<>();
    try {
      for (byte[] layer : layers) {
        List<LayerListing.Entry> listed = new ArrayList<>();
        unpacker.apply(new ByteArrayInputStream(layer), listed);
        listedByUnpacker.add(listed);
      }
    } catch (InvalidLayerException e) {
      unpackError = e;
    }
    List<List<LayerListing.Entry>> listings = new ArrayList<>();
    for (byte[] layer : layers) {
      listings.add(list(layer));
    }
    // What the unpacker lists while it writes is the listing read on its own.
    assertThat(listedByUnpacker).isEqualTo(listings.subList(0, listedByUnpacker.size()));
    ImageTree tree;
    try {
      tree = ImageTree.of(listings);
    } catch (InvalidLayerException e) {
      assertThat(unpackError).as("the unpacker accepted what the tree refused: " + e.getMessage()).isNotNull();
      assertThat(e.getClass()).isEqualTo(unpackError.getClass());
      return;
    }
    assertThat(unpackError).as("the tree accepted what the unpacker refused").isNull();
    Map<String, String> expected = describe(root);
    Map<String, String> actual = describe(tree);
    // An implied directory's mtime is when the unpacker made it; the tree leaves it unknown.
    actual.forEach((path, line) -> {
      if (line.startsWith("DIRECTORY") && !line.contains(" mtime=") && expected.containsKey(path)) {
        expected.put(path, expected.get(path).replaceFirst(" mtime=\\S+", ""));
      }
    });
    assertThat(actual).isEqualTo(expected);
  }

  private static List<LayerListing.Entry> list(byte[] layer) throws IOException {
    try (InputStream in = new ByteArrayInputStream(layer)) {
      return LayerListing.read(in);
    }
  }

  /** path → one line of everything the tree says about it; hard-link groups as numbers in order of first path. */
  private static Map<String, String> describe(ImageTree tree) {
    Map<String, String> out = new TreeMap<>();
    Map<TreeNode, Integer> groups = new IdentityHashMap<>();
    Map<TreeNode, Integer> linkCounts = new IdentityHashMap<>();
    countLinks(tree.root, linkCounts);
    out.put("/", line(tree.root, null).replaceFirst(" mtime=\\S+", ""));
    walk(tree.root, "", out, groups, linkCounts);
    return out;
  }

  private static void countLinks(TreeNode directory, Map<TreeNode, Integer> counts) {
    for (TreeNode child : directory.children.values()) {
      counts.merge(child, 1, Integer::sum);
      if (child.isDirectory()) {
        countLinks(child, counts);
      }
    }
  }

  private static void walk(TreeNode directory, String path, Map<String, String> out, Map<TreeNode, Integer> groups,
      Map<TreeNode, Integer> linkCounts) {
    for (var child : directory.children.entrySet()) {
      String childPath = path + "/" + child.getKey();
      TreeNode node = child.getValue();
      String group = linkCounts.get(node) > 1 ? "link" + groups.computeIfAbsent(node, n -> groups.size()) : null;
      out.put(childPath, line(node, group));
      if (node.isDirectory()) {
        walk(node, childPath, out, groups, linkCounts);
      }
    }
  }

  private static String line(TreeNode node, String group) {
    boolean root = PosixCalls.isRoot();
    return node.type + " mode=" + Integer.toOctalString(node.mode) + (root ? " owner=" + node.uid + ":" + node.gid : "")
        + (node.type == LayerListing.Type.FILE ? " size=" + node.size + " sha=" + node.contentSha256 : "")
        + (node.symlinkTarget != null ? " -> " + node.symlinkTarget : "")
        + (node.mtime != null && node.type != LayerListing.Type.SYMLINK ? " mtime=" + node.mtime : "")
        + " xattrs=" + userXattrs(node.xattrs) + (group != null ? " " + group : "");
  }

  private static Map<String, String> userXattrs(Map<String, String> xattrs) {
    Map<String, String> user = new TreeMap<>();
    xattrs.forEach((k, v) -> {
      if (k.startsWith("user.")) {
        user.put(k, v);
      }
    });
    return user;
  }

  private static Map<String, String> describe(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    Map<Object, Integer> groups = new HashMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(ImageTreeTest::byComponents)::iterator) {
        String name = path.equals(root) ? "/" : "/" + root.relativize(path).toString();
        out.put(name, line(path, groups, path.equals(root)));
      }
    }
    return out;
  }

  private static int byComponents(Path a, Path b) {
    return ImageDiff.TREE_ORDER.compare(a.toString(), b.toString());
  }

  private static String line(Path path, Map<Object, Integer> groups, boolean isRoot) throws Exception {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) attributes.get("mode");
    LayerListing.Type type = switch (mode & 0170000) {
      case 0040000 -> LayerListing.Type.DIRECTORY;
      case 0120000 -> LayerListing.Type.SYMLINK;
      case 0010000 -> LayerListing.Type.FIFO;
      case 0020000 -> LayerListing.Type.CHAR_DEVICE;
      case 0060000 -> LayerListing.Type.BLOCK_DEVICE;
      default -> LayerListing.Type.FILE;
    };
    int nlink = (Integer) attributes.get("nlink");
    String group = type != LayerListing.Type.DIRECTORY && nlink > 1
        ? "link" + groups.computeIfAbsent(attributes.get("ino"), i -> groups.size()) : null;
    boolean root = PosixCalls.isRoot();
    FileTime mtime = (FileTime) attributes.get("lastModifiedTime");
    // The unpack root's own mtime is whatever the test directory had; only a "/" entry sets it.
    boolean showTime = type != LayerListing.Type.SYMLINK && !isRoot;
    Map<String, String> xattrs = new TreeMap<>();
    if (type != LayerListing.Type.SYMLINK) {
      for (String name : PosixCalls.listXattrs(path)) {
        if (name.startsWith("user.")) {
          xattrs.put(name, Base64.getEncoder().encodeToString(PosixCalls.getXattr(path, name)));
        }
      }
    }
    return type + " mode=" + Integer.toOctalString(mode & 07777)
        + (root ? " owner=" + attributes.get("uid") + ":" + attributes.get("gid") : "")
        + (type == LayerListing.Type.FILE ? " size=" + Files.size(path) + " sha=" + sha256(path) : "")
        + (type == LayerListing.Type.SYMLINK ? " -> " + PosixCalls.readlink(path) : "")
        + (showTime ? " mtime=" + mtime.toInstant() : "")
        + " xattrs=" + xattrs + (group != null ? " " + group : "");
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
