package dev.bootj.it.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.Buildah;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootj image diff} against {@code podman image diff} on the same two images from a real
 * registry: podman applies the layers with containers/storage's own code (whiteouts, opaque
 * directories, symlinked parents, hard links) and compares the resulting trees, so agreeing with
 * it checks bootj's tree model and its diff independently of bootj's unpacker.
 */
class ImageDiffIT {

  private static final TestRegistry REGISTRY = new TestRegistry();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long OLD = 1_600_000_000L;
  private static final long NEW = 1_700_000_000L;

  @TempDir Path temp;

  @BeforeAll
  static void startRegistry() {
    REGISTRY.start();
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.stop();
  }

  @BeforeEach
  void prerequisites() {
    assumeTrue(PosixCalls.isRoot(), "podman's vfs storage needs root");
    assumeTrue(HostCommand.isInstalled("podman"), "podman is not installed (Debian package podman)");
    assumeTrue(HostCommand.isInstalled("skopeo"), "skopeo is not installed (Debian package skopeo)");
  }

  /** Shared by both versions: a merged-/usr OS in miniature. */
  private static byte[] baseLayer() throws Exception {
    TarBuilder tar = new TarBuilder();
    tar.dir("usr").mtime(OLD);
    tar.dir("usr/bin").mtime(OLD);
    tar.symlink("bin", "usr/bin").mtime(OLD);
    tar.file("usr/bin/tool", "tool v1").mode(0755).mtime(OLD);
    tar.hardlink("usr/bin/tool-alias", "usr/bin/tool");
    tar.file("usr/bin/chmodded", "same content").mode(0755).mtime(OLD);
    tar.file("usr/bin/chowned", "same content").mtime(OLD);
    tar.dir("etc").mtime(OLD);
    tar.file("etc/hostname", "old\n").mtime(OLD);
    tar.file("etc/removed.conf", "whited out in v2").mtime(OLD);
    tar.dir("etc/old.d").mtime(OLD);
    tar.file("etc/old.d/a.conf", "a").mtime(OLD);
    tar.file("etc/old.d/b.conf", "b").mtime(OLD);
    tar.dir("opt").mtime(OLD);
    tar.dir("opt/app").mtime(OLD);
    tar.file("opt/app/lower-only", "hidden by an opaque marker").mtime(OLD);
    tar.file("opt/app/kept-name", "lower").mtime(OLD);
    tar.symlink("opt/current", "app").mtime(OLD);
    tar.file("srv", "a file that becomes a directory").mtime(OLD);
    tar.file("untouched", "never changes").mtime(OLD);
    return tar.build();
  }

  private static byte[] v1Top() throws Exception {
    TarBuilder tar = new TarBuilder();
    tar.dir("usr/share").mtime(OLD);
    tar.file("usr/share/version", "1\n").mtime(OLD);
    tar.file("usr/share/same-metadata", "AAAA").mtime(OLD);
    return tar.build();
  }

  private static List<byte[]> v2Top() throws Exception {
    TarBuilder middle = new TarBuilder();
    middle.dir("usr/share").mtime(OLD);
    middle.file("usr/share/version", "2\n").mtime(NEW);
    // Same size and mtime, other content: podman sees no change, bootj does (it hashes content).
    middle.file("usr/share/same-metadata", "BBBB").mtime(OLD);
    middle.file("bin/through-symlink", "written under usr/bin").mtime(NEW);
    middle.file("usr/bin/tool", "tool v2, longer").mode(0755).mtime(NEW);
    middle.file("usr/bin/chmodded", "same content").mode(0700).mtime(OLD);
    middle.file("usr/bin/chowned", "same content").owner(1000, 1000).mtime(OLD);
    middle.whiteout("etc/removed.conf");
    middle.whiteout("etc/old.d");
    TarBuilder top = new TarBuilder();
    top.opaque("opt/app");
    top.file("opt/app/kept-name", "upper").mtime(NEW);
    top.file("opt/app/new-file", "new").mtime(NEW);
    top.symlink("opt/current", "app-2").mtime(NEW);
    top.dir("srv").mtime(NEW);
    top.file("srv/data", "now a directory").mtime(NEW);
    top.dir("var").mtime(NEW);
    top.dir("var/lib").mtime(NEW);
    top.file("var/lib/new", "added subtree").mtime(NEW);
    return List.of(middle.build(), top.build());
  }

  @Test
  void agreesWithPodmanOnTwoImagesAndOnAnImageAgainstItsParentLayers() throws Exception {
    Path v1Layout = temp.resolve("v1");
    OciLayoutWriter.write(v1Layout, "1", OciLayoutWriter.TAR_GZIP, List.of(baseLayer(), v1Top()));
    String v1 = Skopeo.push(v1Layout, "1", REGISTRY, "diff/os:1");
    List<byte[]> v2Layers = new ArrayList<>(List.of(baseLayer()));
    v2Layers.addAll(v2Top());
    Path v2Layout = temp.resolve("v2");
    OciLayoutWriter.write(v2Layout, "2", OciLayoutWriter.TAR_GZIP, v2Layers);
    String v2 = Skopeo.push(v2Layout, "2", REGISTRY, "diff/os:2");

    Buildah podman = Buildah.podman(temp.resolve("podman"));
    podman.pull(v1);
    podman.pull(v2);
    Bootj bootj = new Bootj(temp.resolve("store"));

    // Two images.
    JsonNode theirs = podmanJson(podman.imageDiffJson(v2, v1));
    Bootj.Result result = bootj.run("image", "diff", "--json", v2, v1);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode ours = CheckedJson.parse(result.out());
    assertThat(set(ours, "added")).isEqualTo(set(theirs, "added"))
        .contains("/usr/bin/through-symlink", "/srv/data", "/var", "/var/lib", "/var/lib/new", "/opt/app/new-file");
    assertThat(set(ours, "deleted")).isEqualTo(set(theirs, "deleted"))
        .containsExactlyInAnyOrder("/etc/removed.conf", "/etc/old.d", "/opt/app/lower-only");
    // bootj sees one change more than podman: the file whose content changed under the same size and mtime.
    Set<String> podmanChanged = set(theirs, "changed");
    Set<String> bootjChanged = set(ours, "changed");
    assertThat(podmanChanged).doesNotContain("/usr/share/same-metadata")
        .contains("/usr/bin/tool", "/usr/bin/chmodded", "/usr/bin/chowned", "/opt/current", "/srv")
        // Replacing a file breaks its hard link: the alias keeps the old inode, unchanged.
        .doesNotContain("/usr/bin/tool-alias");
    Set<String> expected = new TreeSet<>(podmanChanged);
    expected.add("/usr/share/same-metadata");
    assertThat(bootjChanged).isEqualTo(expected).doesNotContain("/untouched");
    assertThat(ours.get("imageDigest").asText()).startsWith("sha256:");
    assertThat(ours.get("baseDigest").asText()).startsWith("sha256:");

    // Text form: podman's letters, one path per line, in tree order.
    Bootj.Result text = bootj.run("image", "diff", v2, v1);
    assertThat(text.exitCode()).as(text.toString()).isZero();
    List<String> lines = text.out().lines().toList();
    assertThat(lines).hasSize(set(ours, "added").size() + bootjChanged.size() + set(ours, "deleted").size())
        .contains("A /var/lib/new", "D /etc/old.d", "C /usr/bin/tool");
    assertThat(lines.indexOf("C /etc")).isLessThan(lines.indexOf("D /etc/old.d"));
    assertThat(lines.indexOf("C /usr")).isLessThan(lines.indexOf("C /usr/bin")).isLessThan(lines.indexOf("C /usr/bin/tool"));

    // One image against its own lower layers: what its top layer changes.
    JsonNode theirsTop = podmanJson(podman.imageDiffJson(v2, null));
    Bootj.Result top = bootj.run("image", "diff", "--json", "--pull=never", v2);
    assertThat(top.exitCode()).as(top.toString()).isZero();
    JsonNode oursTop = CheckedJson.parse(top.out());
    assertThat(oursTop.get("base").isNull()).isTrue();
    for (String kind : List.of("added", "changed", "deleted")) {
      assertThat(set(oursTop, kind)).as(kind).isEqualTo(set(theirsTop, kind));
    }
    assertThat(set(oursTop, "deleted")).containsExactly("/opt/app/lower-only");
  }

  @Test
  void anImageAgainstItselfHasNoChangesAndAMissingImageIsOneLine() throws Exception {
    Path layout = temp.resolve("v1");
    OciLayoutWriter.write(layout, "1", OciLayoutWriter.TAR_GZIP, List.of(baseLayer(), v1Top()));
    String v1 = Skopeo.push(layout, "1", REGISTRY, "diff/self:1");
    Bootj bootj = new Bootj(temp.resolve("store"));
    Bootj.Result same = bootj.run("image", "diff", v1, v1);
    assertThat(same.exitCode()).as(same.toString()).isZero();
    assertThat(same.out()).isEmpty();

    Bootj.Result missing = bootj.run("image", "diff", "--pull=never", REGISTRY.reference("diff/none:1"), v1);
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err().strip().lines()).hasSize(1);
  }

  private static JsonNode podmanJson(String output) throws Exception {
    return JSON.readTree(output.substring(output.indexOf('{')));
  }

  private static Set<String> set(JsonNode diff, String kind) {
    Set<String> paths = new TreeSet<>();
    JsonNode list = diff.get(kind);
    if (list != null && !list.isNull()) {
      list.forEach(p -> paths.add(p.asText()));
    }
    return paths;
  }
}
