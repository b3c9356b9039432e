package dev.bootj.it.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.testing.EdgeCaseLayers;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.MountableFile;

/**
 * {@code bootj image ...} against a real CNCF distribution registry, with images pushed by skopeo
 * and the result compared with umoci's.
 */
class ImageCommandsIT {

  private static final TestRegistry REGISTRY = new TestRegistry();

  @TempDir Path temp;

  @BeforeAll
  static void startRegistry() {
    REGISTRY.start();
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.stop();
  }

  private Bootj bootj() {
    return new Bootj(temp.resolve("store"));
  }

  private static List<OciLayoutWriter.Layer> edgeCaseBlobs(String... mediaTypes) {
    List<OciLayoutWriter.Layer> blobs = new ArrayList<>();
    // The umoci-insert shapes of EdgeCaseLayers.tars() are checked against real umoci images in
    // BuilderMatrixIT; these tests count the three layers of all().
    List<TarBuilder> layers = EdgeCaseLayers.all();
    for (int i = 0; i < layers.size(); i++) {
      blobs.add(new OciLayoutWriter.Layer(layers.get(i).build(), mediaTypes[i % mediaTypes.length]));
    }
    return blobs;
  }

  /** umoci 0.4 reads gzip and plain tar layers (not zstd). */
  private String pushEdgeCaseImage(Path layout, String repoAndTag) throws IOException {
    OciLayoutWriter.write(layout, "edge", edgeCaseBlobs(OciLayoutWriter.TAR_GZIP, OciLayoutWriter.TAR));
    return Skopeo.push(layout, "edge", REGISTRY, repoAndTag);
  }

  private static byte[] singleFileLayer(String name, String content) {
    TarBuilder tar = new TarBuilder();
    tar.dir("etc");
    tar.file("etc/" + name, content);
    return tar.build();
  }

  @Test
  void unpackGivesTheSameTreeAsUmociFileByFile() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")), "umoci is not installed");
    assumeTrue(PosixCalls.isRoot(), "owners and device nodes need root");
    Path layout = temp.resolve("layout");
    String image = pushEdgeCaseImage(layout, "bootj/edge:1");

    Bootj.Result unpack = bootj().run("image", "unpack", image, temp.resolve("ours").toString());
    assertThat(unpack.exitCode()).as(unpack.toString()).isZero();

    Path bundle = temp.resolve("bundle");
    Process umoci = new ProcessBuilder("umoci", "unpack", "--image", layout + ":edge", bundle.toString())
        .redirectErrorStream(true).redirectOutput(temp.resolve("umoci.log").toFile()).start();
    assertThat(umoci.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(umoci.exitValue()).as(Files.readString(temp.resolve("umoci.log"))).isZero();

    TreeSnapshot theirs = TreeSnapshot.capture(bundle.resolve("rootfs"));
    TreeSnapshot ours = TreeSnapshot.capture(temp.resolve("ours"));
    assertThat(theirs.nodes()).hasSizeGreaterThan(50).containsKeys("bin/ping", "dev/sda", "opq/new");
    assertThat(ours.diff(theirs)).isEmpty();
  }

  @Test
  void zstdLayersUnpackToTheSameTreeAsGzip() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "owners and device nodes need root");
    String gzip = pushEdgeCaseImage(temp.resolve("gzip"), "bootj/edge-gzip:1");
    OciLayoutWriter.write(temp.resolve("zstd"), "edge", edgeCaseBlobs(OciLayoutWriter.TAR_ZSTD));
    String zstd = Skopeo.push(temp.resolve("zstd"), "edge", REGISTRY, "bootj/edge-zstd:1");
    assertThat(bootj().run("image", "unpack", gzip, temp.resolve("a").toString()).exitCode()).isZero();
    Bootj.Result r = bootj().run("image", "unpack", zstd, temp.resolve("b").toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(json(bootj().run("image", "inspect", "--json", zstd)).get("layers").get(0).get("mediaType").asText()).endsWith("+zstd");
    assertThat(TreeSnapshot.capture(temp.resolve("b")).diff(TreeSnapshot.capture(temp.resolve("a")))).isEmpty();
  }

  @Test
  void secondPullDownloadsNothing() throws Exception {
    String image = pushEdgeCaseImage(temp.resolve("layout"), "bootj/twice:1");
    JsonNode first = json(bootj().run("image", "pull", "--json", image));
    JsonNode second = json(bootj().run("image", "pull", "--json", image));
    assertThat(first.get("layersDownloaded").asInt()).isEqualTo(3);
    assertThat(first.get("downloadedBytes").asLong()).isEqualTo(first.get("layersSize").asLong()).isPositive();
    assertThat(second.get("layersDownloaded").asInt()).isZero();
    assertThat(second.get("downloadedBytes").asLong()).isZero();
    assertThat(second.get("digest").asText()).isEqualTo(first.get("digest").asText());

    // Unpacking a pulled image needs no registry at all.
    REGISTRY.getDockerClient().pauseContainerCmd(REGISTRY.getContainerId()).exec();
    try {
      Bootj.Result offline = bootj().run("image", "unpack", "--pull=never", image, temp.resolve("root").toString());
      assertThat(offline.exitCode()).as(offline.toString()).isZero();
      assertThat(temp.resolve("root/bin/busybox")).isRegularFile();
    } finally {
      REGISTRY.getDockerClient().unpauseContainerCmd(REGISTRY.getContainerId()).exec();
    }
  }

  @Test
  void pullByDigestChecksTheManifest() throws Exception {
    Path layout = temp.resolve("layout");
    Digest digest = OciLayoutWriter.write(layout, "d", OciLayoutWriter.TAR_GZIP, List.of(singleFileLayer("os-release", "ID=test\n")));
    String image = Skopeo.push(layout, "d", REGISTRY, "bootj/bydigest:1");
    String byDigest = REGISTRY.reference("bootj/bydigest@" + digest);

    Bootj.Result ok = bootj().run("image", "unpack", byDigest, temp.resolve("root").toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(temp.resolve("root/etc/os-release")).hasContent("ID=test\n");

    Bootj.Result unknown = bootj().run("image", "pull", REGISTRY.reference("bootj/bydigest@sha256:" + "0".repeat(64)));
    assertThat(unknown.exitCode()).isEqualTo(3);
    assertThat(unknown.err()).contains("was not found in registry");
    assertThat(image).endsWith(":1");
  }

  @Test
  void corruptLayerIsRefusedAndNeverStored() throws Exception {
    Path layout = temp.resolve("layout");
    byte[] random = new byte[200_000];
    new java.util.Random(5).nextBytes(random);
    TarBuilder tar = new TarBuilder();
    tar.file("data", random);
    OciLayoutWriter.write(layout, "c", OciLayoutWriter.TAR_GZIP, List.of(tar.build()));
    String image = Skopeo.push(layout, "c", REGISTRY, "bootj/corrupt:1");
    // skopeo may recompress on push: take the layer as the registry has it.
    JsonNode layerNode = json(bootj().run("image", "inspect", "--json", image)).get("layers").get(0);
    Digest layerDigest = Digest.parse(layerNode.get("digest").asText());
    byte[] layer = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(layerDigest.hex()));
    // Flip bytes in the registry's copy of the layer, keeping its size.
    byte[] corrupt = layer.clone();
    corrupt[corrupt.length / 2] ^= 0x55;
    Path corruptFile = temp.resolve("corrupt");
    Files.write(corruptFile, corrupt);
    REGISTRY.copyFileToContainer(MountableFile.forHostPath(corruptFile),
        "/var/lib/registry/docker/registry/v2/blobs/sha256/" + layerDigest.hex().substring(0, 2) + "/" + layerDigest.hex() + "/data");

    Path root = temp.resolve("root");
    Bootj.Result unpack = bootj().run("image", "unpack", image, root.toString());
    assertThat(unpack.exitCode()).as(unpack.toString()).isEqualTo(4);
    assertThat(unpack.err()).contains("does not match its digest", layerDigest.toString()).doesNotContain("\tat ");
    assertThat(root).doesNotExist();
    assertThat(temp.resolve("store/blobs/sha256").resolve(layerDigest.hex())).doesNotExist();

    Bootj.Result pull = bootj().run("image", "pull", image);
    assertThat(pull.exitCode()).isEqualTo(4);
  }

  @Test
  void maliciousLayerIsRefusedAndNothingOutsideTheTargetChanges() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("victim"), "untouched");
    TarBuilder evil = new TarBuilder();
    evil.dir("etc");
    evil.symlink("escape", outside.toString());
    evil.file("escape/victim", "owned"); // resolved inside the root, as chroot would
    evil.file("../../../" + outside.getFileName() + "/victim2", "owned");
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(layout, "evil", OciLayoutWriter.TAR_GZIP, List.of(evil.build()));
    String image = Skopeo.push(layout, "evil", REGISTRY, "bootj/evil:1");

    Path root = temp.resolve("root");
    Bootj.Result unpack = bootj().run("image", "unpack", image, root.toString());
    assertThat(unpack.exitCode()).as(unpack.toString()).isEqualTo(4);
    assertThat(unpack.err()).contains("layer entry '../../../outside/victim2'").doesNotContain("\tat ");
    assertThat(outside.resolve("victim")).hasContent("untouched");
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(outside.resolve("victim"));
    }
    assertThat(root).doesNotExist();
  }

  @Test
  void multiPlatformIndexGivesThisMachinesImageOrTheOneAskedFor() throws Exception {
    Path amd64 = temp.resolve("amd64");
    Path arm64 = temp.resolve("arm64");
    Digest amdManifest = OciLayoutWriter.write(amd64, "x", OciLayoutWriter.TAR_GZIP, List.of(singleFileLayer("arch", "amd64")));
    Digest armManifest = OciLayoutWriter.write(arm64, "x", OciLayoutWriter.TAR_GZIP, List.of(singleFileLayer("arch", "arm64")));
    Path multi = temp.resolve("multi");
    Files.createDirectories(multi.resolve("blobs/sha256"));
    for (Path single : List.of(amd64, arm64)) {
      try (Stream<Path> blobs = Files.list(single.resolve("blobs/sha256"))) {
        for (Path blob : blobs.toList()) {
          Files.copy(blob, multi.resolve("blobs/sha256").resolve(blob.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    // artifactType is what newer docker/buildx write; jib-core's own models reject it.
    String index = ("{'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json','artifactType':'application/vnd.example',"
        + "'manifests':[" + entry(amd64, amdManifest, "amd64") + "," + entry(arm64, armManifest, "arm64") + "]}").replace('\'', '"');
    Digest indexDigest = Digest.of(index.getBytes());
    Files.writeString(multi.resolve("blobs/sha256").resolve(indexDigest.hex()), index);
    Files.writeString(multi.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(multi.resolve("index.json"), ("{'schemaVersion':2,'manifests':[{'mediaType':'application/vnd.oci.image.index.v1+json',"
        + "'digest':'" + indexDigest + "','size':" + index.length() + ",'annotations':{'org.opencontainers.image.ref.name':'multi'}}]}").replace('\'', '"'));
    String image = REGISTRY.reference("bootj/multi:1");
    Skopeo.copy("oci:" + multi + ":multi", "docker://" + image, true);

    Bootj.Result here = bootj().run("image", "unpack", image, temp.resolve("here").toString());
    assertThat(here.exitCode()).as(here.toString()).isZero();
    assertThat(temp.resolve("here/etc/arch")).hasContent("amd64");

    Bootj.Result arm = bootj().run("image", "unpack", "--platform", "linux/arm64", "--pull=always", image, temp.resolve("arm").toString());
    assertThat(arm.exitCode()).as(arm.toString()).isZero();
    assertThat(temp.resolve("arm/etc/arch")).hasContent("arm64");

    Bootj.Result none = bootj().run("image", "pull", "--platform", "linux/s390x", image);
    assertThat(none.exitCode()).isEqualTo(3);
    assertThat(none.err()).contains("has no variant for linux/s390x", "linux/amd64", "linux/arm64");

    JsonNode inspect = json(bootj().run("image", "inspect", "--json", "--platform", "linux/arm64", image));
    assertThat(inspect.get("digest").asText()).isEqualTo(armManifest.toString());
    assertThat(inspect.get("platform").asText()).isEqualTo("linux/arm64");
  }

  private static String entry(Path layout, Digest manifest, String arch) throws IOException {
    long size = Files.size(layout.resolve("blobs/sha256").resolve(manifest.hex()));
    return "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + manifest + "','size':" + size
        + ",'platform':{'os':'linux','architecture':'" + arch + "'}}";
  }

  @Test
  void concurrentPullsShareOneStore() throws Exception {
    String image = pushEdgeCaseImage(temp.resolve("layout"), "bootj/concurrent:1");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Bootj.Result>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(pool.submit(() -> bootj().run("image", "pull", image)));
    }
    for (Future<Bootj.Result> run : runs) {
      Bootj.Result r = run.get(2, TimeUnit.MINUTES);
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    pool.shutdown();
    Bootj.Result unpack = bootj().run("image", "unpack", "--pull=never", image, temp.resolve("root").toString());
    assertThat(unpack.exitCode()).as(unpack.toString()).isZero();
    try (Stream<Path> temps = Files.list(temp.resolve("store/tmp"))) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void layoutDirectoryAndArchiveTransports() throws Exception {
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(layout, "v1", OciLayoutWriter.TAR_GZIP, List.of(singleFileLayer("hello", "from a layout")));
    Path archive = temp.resolve("image.tar");
    Process tar = new ProcessBuilder("tar", "-C", layout.toString(), "-cf", archive.toString(), ".").inheritIO().start();
    assertThat(tar.waitFor()).isZero();

    Bootj.Result dir = bootj().run("image", "unpack", "oci:" + layout + ":v1", temp.resolve("a").toString());
    assertThat(dir.exitCode()).as(dir.toString()).isZero();
    assertThat(temp.resolve("a/etc/hello")).hasContent("from a layout");
    Bootj.Result arc = bootj().run("image", "unpack", "oci-archive:" + archive + ":v1", temp.resolve("b").toString());
    assertThat(arc.exitCode()).as(arc.toString()).isZero();
    assertThat(temp.resolve("b/etc/hello")).hasContent("from a layout");

    Bootj.Result wrongTag = bootj().run("image", "inspect", "oci:" + layout + ":v2");
    assertThat(wrongTag.exitCode()).isEqualTo(3);
    assertThat(wrongTag.err()).contains("no image tagged 'v2'", "'v1'");
  }

  @Test
  void unpackJsonDescribesTheTreeItWrote() throws Exception {
    Path layout = temp.resolve("layout");
    Digest digest = OciLayoutWriter.write(layout, "v1", OciLayoutWriter.TAR_GZIP,
        List.of(singleFileLayer("hello", "from a layout"), singleFileLayer("motd", "twelve bytes")));
    Path root = temp.resolve("root");

    JsonNode first = json(bootj().run("image", "unpack", "--json", "oci:" + layout + ":v1", root.toString()));

    assertThat(first.get("kind").asText()).isEqualTo("UnpackedImage");
    assertThat(first.get("digest").asText()).isEqualTo(digest.toString());
    assertThat(first.get("root").asText()).isEqualTo(root.toAbsolutePath().toString());
    assertThat(first.get("layers").asInt()).isEqualTo(2);
    assertThat(first.get("layersDownloaded").asInt()).isEqualTo(2);
    assertThat(first.get("entries").asLong()).as("etc/ and one file per layer").isEqualTo(4);
    assertThat(first.get("unpackedBytes").asLong()).isEqualTo("from a layout".length() + "twelve bytes".length());
    assertThat(root.resolve("etc/motd")).hasContent("twelve bytes");
    JsonNode second = json(bootj().run("image", "unpack", "--json", "oci:" + layout + ":v1",
        temp.resolve("again").toString()));
    assertThat(second.get("layersDownloaded").asInt()).as("both layers are in the store").isZero();
    assertThat(second.get("downloadedBytes").asLong()).isZero();
  }

  @Test
  void fullDiskFailsWithOneLineAndLeavesNothingBehind() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "mounting a small filesystem needs root");
    byte[] big = new byte[4 << 20];
    new java.util.Random(9).nextBytes(big);
    TarBuilder tar = new TarBuilder();
    tar.file("big", big);
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(layout, "big", OciLayoutWriter.TAR_GZIP, List.of(tar.build()));
    String image = Skopeo.push(layout, "big", REGISTRY, "bootj/big:1");
    Path small = Files.createDirectories(temp.resolve("small"));
    assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()).inheritIO().start().waitFor()).isZero();
    try {
      Bootj.Result unpack = bootj().run("image", "unpack", image, small.resolve("root").toString());
      assertThat(unpack.exitCode()).as(unpack.toString()).isEqualTo(1);
      assertThat(unpack.err().strip()).isEqualTo("bootj: error: no space left on device; free some space or use another --store or target");
      assertThat(small.resolve("root")).doesNotExist();

      Bootj.Result pull = new Bootj(small.resolve("store")).run("image", "pull", image);
      assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(1);
      try (Stream<Path> partial = Files.list(small.resolve("store/tmp"))) {
        assertThat(partial).isEmpty();
      }
    } finally {
      new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void unknownImageAndRepository() {
    Bootj.Result r = bootj().run("image", "pull", REGISTRY.reference("bootj/never-pushed:1"));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err().strip()).startsWith("bootj: error: image " + REGISTRY.reference("bootj/never-pushed:1") + " was not found");
  }

  @Test
  void progressGoesToStderrAndJsonToStdout() throws Exception {
    String image = pushEdgeCaseImage(temp.resolve("layout"), "bootj/progress:1");
    Bootj.Result r = bootj().run("image", "pull", "--progress", "--json", image);
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("layer 1/3", "layer 3/3", "done", "3 layer(s)");
    assertThat(json(r).get("reference").asText()).isEqualTo(image);
  }

  @Test
  void pruneFreesWhatNoImageNeeds() throws Exception {
    String image = pushEdgeCaseImage(temp.resolve("layout"), "bootj/prune:1");
    assertThat(bootj().run("image", "pull", image).exitCode()).isZero();
    JsonNode kept = json(bootj().run("image", "prune", "--json"));
    assertThat(kept.get("blobsRemoved").asInt()).isZero();
    assertThat(bootj().run("image", "rm", image).exitCode()).isZero();
    JsonNode freed = json(bootj().run("image", "prune", "--json"));
    assertThat(freed.get("blobsRemoved").asInt()).isEqualTo(4); // config + 3 layers
    assertThat(json(bootj().run("image", "list", "--json")).get("images")).isEmpty();
  }

  private static JsonNode json(Bootj.Result result) throws IOException, InterruptedException {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return CheckedJson.parse(result.out());
  }

}
