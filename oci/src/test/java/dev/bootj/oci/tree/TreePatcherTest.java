package dev.bootj.oci.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.testing.RandomLayers;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.testing.TreeSnapshot;
import dev.bootj.oci.unpack.InvalidLayerException;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory unpacked from one image and patched to another must be the other image unpacked
 * afresh (checked with {@link TreeSnapshot}, every field of every path), and the patch must read
 * only the layers whose files it writes.
 */
class TreePatcherTest {

  @TempDir Path temp;

  @BeforeEach
  void asRoot() {
    assumeTrue(PosixCalls.isRoot(), "patching sets owners and makes device nodes: root only");
  }

  private static byte[] base() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.dir("usr");
    tar.dir("usr/bin");
    tar.symlink("bin", "usr/bin");
    tar.file("usr/bin/sh", "shell").mode(0755);
    tar.hardlink("usr/bin/sh2", "usr/bin/sh");
    tar.file("usr/bin/same", "unchanged");
    tar.dir("etc");
    tar.file("etc/hostname", "old\n");
    tar.dir("opt");
    tar.file("opt/gone", "deleted by v2");
    tar.charDevice("null", 1, 3);
    return tar.build();
  }

  private static byte[] v1Top() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.file("usr/share-version", "1");
    tar.file("usr/bin/tool", "tool 1").mtime(1_650_000_000L);
    return tar.build();
  }

  private static byte[] v2Top() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.file("usr/share-version", "2");
    tar.file("usr/bin/tool", "tool 2, longer").mtime(1_700_000_000L, 5);
    tar.file("bin/new", "through the symlink").xattr("user.origin", "v2");
    tar.whiteout("opt/gone");
    tar.dir("etc").mode(0750).mtime(1_710_000_000L);
    tar.symlink("usr/bin/sh2", "sh");
    tar.fifo("usr/fifo");
    return tar.build();
  }

  @Test
  void patchingV1ToV2GivesV2AndReadsOnlyTheChangedLayer() throws Exception {
    List<byte[]> v1 = List.of(base(), v1Top());
    List<byte[]> v2 = List.of(base(), v2Top());
    Path dir = unpack(v1, "patched");
    // What the machine did while it ran v1: a file edited in place, one added, one chmodded.
    Files.writeString(dir.resolve("usr/bin/same"), "edited by hand");
    Files.writeString(dir.resolve("usr/extra"), "not from any layer");
    PosixCalls.chmod(dir.resolve("usr/bin/tool"), 0600);

    AtomicInteger reads = new AtomicInteger();
    Set<Integer> layersRead = new HashSet<>();
    TreePatcher.Plan plan = patch(dir, v1, v2, index -> {
      reads.incrementAndGet();
      layersRead.add(index);
    });
    assertThat(layersRead).as("only v2's own layer, plus the base for the hand-edited file").containsExactlyInAnyOrder(0, 1);
    assertThat(plan.kept()).isPositive();
    assertSame(dir, unpack(v2, "fresh"), tree(v2));
  }

  @Test
  void anUntouchedV1NeedsOnlyTheTopLayer() throws Exception {
    List<byte[]> v1 = List.of(base(), v1Top());
    List<byte[]> v2 = List.of(base(), v2Top());
    Path dir = unpack(v1, "patched");
    Set<Integer> layersRead = new HashSet<>();
    TreePatcher.Plan plan = patch(dir, v1, v2, layersRead::add);
    assertThat(layersRead).containsExactly(1);
    assertThat(plan.bytesToWrite()).isEqualTo("tool 2, longer".length() + "2".length() + "through the symlink".length());
    assertSame(dir, unpack(v2, "fresh"), tree(v2));
  }

  @Test
  void withNoKnownCurrentTreeEveryFileIsWrittenAndTheResultIsTheSame() throws Exception {
    List<byte[]> v1 = List.of(base(), v1Top());
    List<byte[]> v2 = List.of(base(), v2Top());
    Path dir = unpack(v1, "patched");
    TreeNode target = tree(v2).root();
    TreePatcher patcher = new TreePatcher(dir, p -> false, w -> {});
    TreePatcher.Plan plan = patcher.plan(target, null);
    assertThat(plan.kept()).isZero();
    patcher.extract(plan, index -> new ByteArrayInputStream(v2.get(index)), temp.resolve("scratch"));
    patcher.apply(plan, temp.resolve("scratch"));
    assertSame(dir, unpack(v2, "fresh"), tree(v2));
  }

  @Test
  void twoEqualFilesBecomingOneInodeAreLinked() throws Exception {
    TarBuilder separate = new TarBuilder();
    separate.file("a", "same bytes");
    separate.file("b", "same bytes");
    TarBuilder linked = new TarBuilder();
    linked.file("a", "same bytes");
    linked.hardlink("b", "a");
    Path dir = unpack(List.of(separate.build()), "patched");
    TreePatcher.Plan plan = patch(dir, List.of(separate.build()), List.of(linked.build()), index -> {});
    assertThat(plan.writes()).isEqualTo(2);
    assertThat(Files.getAttribute(dir.resolve("b"), "unix:ino")).isEqualTo(Files.getAttribute(dir.resolve("a"), "unix:ino"));
    assertSame(dir, unpack(List.of(linked.build()), "fresh"), tree(List.of(linked.build())));
  }

  @Test
  void aTimeCutToWholeSecondsAsMkfsLeavesItStillMatches() throws Exception {
    TarBuilder base = new TarBuilder();
    base.file("kept", "same in both").mtime(1_700_000_000L, 123_456_789);
    base.file("changed-by-hand", "same in both").mtime(1_700_000_000L, 123_456_789);
    TarBuilder top = new TarBuilder();
    top.file("new", "v2");
    List<byte[]> v1 = List.of(base.build());
    List<byte[]> v2 = List.of(base.build(), top.build());
    Path dir = unpack(v1, "patched");
    PosixCalls.setTimes(dir.resolve("kept"), 1_700_000_000L, 0);
    PosixCalls.setTimes(dir.resolve("changed-by-hand"), 1_700_000_001L, 0);
    TreePatcher.Plan plan = patch(dir, v1, v2, index -> {});
    assertThat(plan.kept()).isEqualTo(1);
    assertThat(plan.writes()).isEqualTo(2); // "new", and the file whose second moved
    assertThat(Files.getLastModifiedTime(dir.resolve("changed-by-hand")).toInstant().getNano()).isEqualTo(123_456_789);
  }

  @Test
  void randomImagePairs() throws Exception {
    long seed = Long.getLong("bootj.test.seed", System.nanoTime());
    Random random = new Random(seed);
    int compared = 0;
    for (int round = 0; compared < 40 && round < 2000; round++) {
      List<byte[]> shared = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        shared.add(RandomLayers.layer(random));
      }
      List<byte[]> from = new ArrayList<>(shared);
      List<byte[]> to = new ArrayList<>(shared);
      for (int i = 1 + random.nextInt(2); i > 0; i--) {
        from.add(RandomLayers.layer(random));
      }
      for (int i = 1 + random.nextInt(2); i > 0; i--) {
        to.add(RandomLayers.layer(random));
      }
      Path dir;
      Path fresh;
      try {
        tree(from);
        tree(to);
        dir = unpack(from, "r" + round + "-patched");
        fresh = unpack(to, "r" + round + "-fresh");
      } catch (InvalidLayerException e) {
        continue; // a pair the unpacker refuses says nothing about patching
      }
      try {
        patch(dir, from, to, index -> {});
        assertSame(dir, fresh, tree(to));
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError("seed " + seed + " round " + round + " (rerun with -Dbootj.test.seed=" + seed + ")", e);
      }
      compared++;
    }
    assertThat(compared).isGreaterThanOrEqualTo(40);
  }

  private TreePatcher.Plan patch(Path dir, List<byte[]> from, List<byte[]> to, java.util.function.IntConsumer read)
      throws IOException {
    TreePatcher patcher = new TreePatcher(dir, p -> false, w -> {});
    TreePatcher.Plan plan = patcher.plan(tree(to).root(), tree(from).root());
    Path scratch = temp.resolve("scratch-" + dir.getFileName());
    patcher.extract(plan, index -> {
      read.accept(index);
      InputStream in = new ByteArrayInputStream(to.get(index));
      return in;
    }, scratch);
    patcher.apply(plan, scratch);
    assertThat(scratch).doesNotExist();
    return plan;
  }

  private static ImageTree tree(List<byte[]> layers) throws IOException {
    List<List<LayerListing.Entry>> listings = new ArrayList<>();
    for (byte[] layer : layers) {
      listings.add(LayerListing.read(new ByteArrayInputStream(layer)));
    }
    return ImageTree.of(listings);
  }

  private Path unpack(List<byte[]> layers, String name) throws IOException {
    Path dir = Files.createDirectory(temp.resolve(name));
    LayerUnpacker unpacker = new LayerUnpacker(dir, w -> {});
    for (byte[] layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer));
    }
    return dir;
  }

  /** Equal in every field, mtimes included except where a directory no layer lists was made "now". */
  private static void assertSame(Path patched, Path fresh, ImageTree target) throws IOException {
    TreeSnapshot expected = TreeSnapshot.capture(fresh);
    TreeSnapshot actual = TreeSnapshot.capture(patched);
    assertThat(actual.diff(expected, path -> {
      TreeNode node = target.find(List.of(path.split("/")));
      return node == null || !node.isDirectory() || node.mtime() != null;
    })).isEmpty();
  }
}
