package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.oci.testing.EdgeCaseLayers;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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

    List<TarBuilder> layers = EdgeCaseLayers.all();
    List<OciLayoutWriter.Layer> blobs = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      byte[] tar = layers.get(i).build();
      blobs.add(new OciLayoutWriter.Layer(tar, i == 1 ? OciLayoutWriter.TAR : OciLayoutWriter.TAR_GZIP));
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
    for (TarBuilder layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer.build()));
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
    assertThat(expected.nodes()).hasSizeGreaterThan(50);
    assertThat(actual.diff(expected)).isEmpty();
  }
}
