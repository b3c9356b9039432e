package dev.bootj.system.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.BootjException;
import dev.bootj.common.testing.JsonSchemaCheck;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.OfflinePullOptions;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.LayerUnpacker;
import dev.bootj.system.model.FilesystemType;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What print-configuration reads: the install.d files found in the image's tree (from its layer
 * listings, whiteouts applied), refused as the unpacked root refuses them ({@link LayerUnpacker}
 * writes the same layers), then the image through the store, signature policy included.
 */
class InstallConfigurationReaderTest {

  @TempDir Path dir;

  private static TarBuilder installD(TarBuilder tar) {
    tar.dir("usr");
    tar.dir("usr/lib");
    tar.dir("usr/lib/bootj");
    tar.dir("usr/lib/bootj/install.d");
    return tar;
  }

  @Test
  void theTreeNamesTheFilesAndRefusesWhatTheUnpackedRootRefuses() throws Exception {
    TarBuilder base = installD(new TarBuilder());
    base.file("usr/lib/bootj/install.d/20-b.toml", "[install]\n");
    base.file("usr/lib/bootj/install.d/10-a.toml", "[install]\n");
    base.file("usr/lib/bootj/install.d/30-gone.toml", "[install]\n");
    base.file("usr/lib/bootj/install.d/README", "ignored\n");
    TarBuilder top = installD(new TarBuilder());
    top.whiteout("usr/lib/bootj/install.d/30-gone.toml");
    assertThat(InstallConfigurationReader.filesIn(tree(List.of(base.build(), top.build())))).containsExactly(
        InstallConfiguration.DIRECTORY + "/10-a.toml", InstallConfiguration.DIRECTORY + "/20-b.toml");

    TarBuilder link = installD(new TarBuilder());
    link.file("usr/lib/bootj/real.conf", "[install]\nfilesystem = \"xfs\"\n");
    link.symlink("usr/lib/bootj/install.d/10-link.toml", "../real.conf");
    List<byte[]> layers = List.of(link.build());
    String expected = InstallConfiguration.DIRECTORY + "/10-link.toml in the image is a symbolic link";
    assertThatThrownBy(() -> InstallConfigurationReader.filesIn(tree(layers))).hasMessageStartingWith(expected);
    assertThatThrownBy(() -> InstallConfiguration.load(unpack(layers))).hasMessageStartingWith(expected);
  }

  @Test
  void anImageWithoutInstallDHasNoFiles() throws Exception {
    TarBuilder layer = new TarBuilder();
    layer.file("etc/hostname", "tiny\n");
    assertThat(InstallConfigurationReader.filesIn(tree(List.of(layer.build())))).isEmpty();
  }

  /**
   * Through the store, as print-configuration runs: the image is pulled from an OCI layout under a
   * signature policy and read from its layers; the record matches its published schema (checked
   * by python3-jsonschema) and the policy is honoured.
   */
  @Test
  void anImageInALayoutIsReadThroughTheStoreAndItsRecordMatchesTheSchema() throws Exception {
    TarBuilder layer = installD(new TarBuilder());
    layer.file("usr/lib/bootj/install.d/10-a.toml", "[install]\nfilesystem = \"xfs\"\nslot-size = \"3G\"\n"
        + "kargs = [\"quiet\"]\ntarget-image = \"registry.example/os:stable\"\n");
    layer.file("usr/lib/bootj/install.d/20-empty.toml", "");
    layer.file("usr/lib/bootj/install.d/30-b.toml", "[install]\nesp-size = 1073741824\nkargs = [\"debug\"]\n"
        + "enforce-container-sigpolicy = false\n");
    Path layout = dir.resolve("layout");
    OciLayoutWriter.write(layout, "1", List.of(OciLayoutWriter.Layer.gzip(layer.build())), Map.of());
    BlobStore store = BlobStore.open(dir.resolve("store"));

    InstallConfigurationReader.Result result = new InstallConfigurationReader(store,
        options("{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}"), ProgressListener.NONE,
        dir.resolve("staging"), w -> { }).read(ImageReference.parse("oci:" + layout + ":1"), PullPolicy.MISSING);

    assertThat(result.files()).containsExactly(InstallConfiguration.DIRECTORY + "/10-a.toml",
        InstallConfiguration.DIRECTORY + "/20-empty.toml", InstallConfiguration.DIRECTORY + "/30-b.toml");
    assertThat(result.configuration().kargs()).containsExactly("quiet", "debug");
    try (java.util.stream.Stream<Path> left = Files.list(dir.resolve("staging"))) {
      assertThat(left).as("the staging directory is removed").isEmpty();
    }
    String json = new ObjectMapper().writeValueAsString(InstallConfigurationReport.of(result));
    JsonNode report = new ObjectMapper().readTree(json);
    assertThat(report.get("install").get("slot-size").asLong()).isEqualTo(3L << 30);
    assertThat(report.get("install").get("enforce-container-sigpolicy").asBoolean()).isFalse();
    assertThat(report.get("sources").get("kargs")).hasSize(2);
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("install-configuration-v1", json)).isEmpty();
    assertThat(JsonSchemaCheck.errors("install-configuration-v1", json.replace("\"xfs\"", "\"zfs\"")))
        .as("the schema can fail").isNotEmpty();

    assertThatThrownBy(() -> new InstallConfigurationReader(store, options("{\"default\": [{\"type\": \"reject\"}]}"),
        ProgressListener.NONE, dir.resolve("staging"), w -> { }).read(ImageReference.parse("oci:" + layout + ":1"),
        PullPolicy.MISSING))
        .isInstanceOf(BootjException.class)
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
  }

  private PullOptions options(String policyJson) throws Exception {
    Path policy = Files.writeString(dir.resolve("policy-" + System.nanoTime() + ".json"), policyJson);
    return OfflinePullOptions.under(TrustPolicy.of(policy, dir.resolve("registries.d")));
  }

  private static ImageTree tree(List<byte[]> layers) throws Exception {
    List<List<LayerListing.Entry>> listings = new ArrayList<>();
    for (byte[] layer : layers) {
      listings.add(LayerListing.read(new ByteArrayInputStream(layer)));
    }
    return ImageTree.of(listings);
  }

  private Path unpack(List<byte[]> layers) throws Exception {
    Path root = dir.resolve("root-" + System.nanoTime());
    java.nio.file.Files.createDirectories(root);
    LayerUnpacker unpacker = new LayerUnpacker(root, w -> { });
    for (byte[] layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer));
    }
    return root;
  }
}
