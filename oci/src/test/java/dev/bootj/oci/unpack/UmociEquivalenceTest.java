package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.oci.testing.EdgeCaseLayers;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference check: the same image unpacked by {@code umoci unpack} and by {@link
 * LayerUnpacker} must give identical trees, down to modes, owners, xattrs, mtimes and hard links.
 */
class UmociEquivalenceTest {

  private static final Path UMOCI = Paths.get("/usr/bin/umoci");

  @TempDir Path temp;

  @Test
  void sameTreeAsUmoci() throws Exception {
    assumeTrue(Files.isExecutable(UMOCI), "umoci is not installed");
    assumeTrue(PosixCalls.effectiveUid() == 0, "comparing owners and devices needs root");

    List<byte[]> layers = EdgeCaseLayers.tars();
    List<OciLayoutWriter.Layer> blobs = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      blobs.add(new OciLayoutWriter.Layer(layers.get(i), i == 1 ? OciLayoutWriter.TAR : OciLayoutWriter.TAR_GZIP));
    }
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(layout, "edge", blobs);

    Path bundle = temp.resolve("bundle");
    Process umoci = new ProcessBuilder(
            UMOCI.toString(), "unpack", "--image", layout + ":edge", bundle.toString())
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("umoci.log").toFile())
        .start();
    assertThat(umoci.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(umoci.exitValue()).as(Files.readString(temp.resolve("umoci.log"))).isZero();

    Path ours = Files.createDirectory(temp.resolve("ours"));
    LayerUnpacker unpacker = new LayerUnpacker(ours, w -> {});
    for (byte[] layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer));
    }

    TreeSnapshot expected = TreeSnapshot.capture(bundle.resolve("rootfs"));
    TreeSnapshot actual = TreeSnapshot.capture(ours);
    // The reference really holds the edge cases (a vacuous comparison would pass too).
    assertThat(expected.nodes()).containsKeys("bin/ping", "opq/new", "opq2/new", "dev/sda", "bin/ls")
        .doesNotContainKeys("opq/old", "opq2/old", "opq3/old", "wh/a", "wh/tree", "sameLayer/.wh.sameLayer");
    assertThat(expected.node("bin/ping").xattrs()).containsKey("security.capability");
    assertThat(expected.node("bin/su").mode()).isEqualTo(0104711);
    assertThat(expected.node("parent").mtime().getEpochSecond()).isEqualTo(6_000);
    assertThat(expected.node("bin/ls").hardLinkGroup()).isEqualTo("bin/busybox");
    // umoci insert's shapes: the root's own entry, absolute names, implied setgid parents.
    assertThat(expected.nodes()).containsKeys("etc/inserted", "dotted", "sgid/later/file");
    assertThat(expected.node("sgid/implied").mode() & 07777).isEqualTo(02755);
    assertThat(expected.node("sgid/implied").gid()).isEqualTo(50);
    assertThat(expected.node("sgid/later").mode() & 07777).isEqualTo(02755);
    assertThat(expected.nodes()).hasSizeGreaterThan(50);
    // Made at unpack time by both tools: the implied directories, and (umoci only: it never
    // restores it) the directory an implied one was made in, which bootj keeps at its layer's mtime.
    Set<String> madeNow = Set.of("sgid/implied", "sgid/implied/deeper", "sgid/later", "sgid");
    assertThat(actual.diff(expected, path -> !madeNow.contains(path))).isEmpty();
    assertThat(actual.node("sgid").mtime().getEpochSecond()).isEqualTo(1_650_000_001L);
    // The snapshots leave out the root itself; the "/" entry's metadata must reach it too.
    Map<String, Object> umociRoot = rootAttributes(bundle.resolve("rootfs"));
    assertThat(umociRoot.get("mode")).isEqualTo(040751);
    assertThat(rootAttributes(ours)).isEqualTo(umociRoot);
  }

  private static Map<String, Object> rootAttributes(Path root) throws IOException {
    Map<String, Object> all = Files.readAttributes(root, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    return Map.of("mode", all.get("mode"), "uid", all.get("uid"), "gid", all.get("gid"),
        "mtime", all.get("lastModifiedTime").toString());
  }
}
