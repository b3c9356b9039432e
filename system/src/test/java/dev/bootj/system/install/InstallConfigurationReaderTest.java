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
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.registry.RetryPolicy;
import dev.bootj.oci.registry.conf.RegistriesConf;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.TreePatcher;
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
 * The configuration read from an image's layers (print-configuration) is the one read from the
 * same layers unpacked by {@link LayerUnpacker} (install): overridden files, whiteouts, hard links,
 * and the same refusal of a symbolic link. Only the layers holding install.d files are opened.
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
  void layersGiveWhatTheUnpackedRootGives() throws Exception {
    TarBuilder base = installD(new TarBuilder());
    base.file("usr/lib/bootj/install.d/10-base.toml", "[install]\nfilesystem = \"ext4\"\nkargs = [\"console=ttyS0\"]\n");
    base.file("usr/lib/bootj/install.d/20-size.toml", "[install]\nslot-size = \"2G\"\n");
    base.file("usr/lib/bootj/install.d/30-gone.toml", "[install]\nesp-size = \"1G\"\n");
    base.dir("usr/share");
    base.file("usr/share/shared.toml", "[install]\nkargs = [\"quiet\"]\n");
    TarBuilder unrelated = new TarBuilder();
    unrelated.dir("etc");
    unrelated.file("etc/hostname", "tiny\n");
    TarBuilder top = installD(new TarBuilder());
    top.file("usr/lib/bootj/install.d/20-size.toml", "[install]\nslot-size = \"3G\"\nfilesystem = \"xfs\"\n");
    top.whiteout("usr/lib/bootj/install.d/30-gone.toml");
    top.hardlink("usr/lib/bootj/install.d/40-linked.toml", "usr/share/shared.toml");
    List<byte[]> layers = List.of(base.build(), unrelated.build(), top.build());

    List<Integer> opened = new ArrayList<>();
    InstallConfiguration fromLayers = InstallConfiguration.fromFiles(
        InstallConfigurationReader.readFiles(tree(layers), opener(layers, opened)));
    InstallConfiguration fromRoot = InstallConfiguration.load(unpack(layers));

    assertThat(fromLayers).isEqualTo(fromRoot);
    assertThat(fromLayers.filesystem()).isEqualTo(FilesystemType.XFS);
    assertThat(fromLayers.slotSizeBytes()).isEqualTo(3L << 30);
    assertThat(fromLayers.espSizeBytes()).as("the whited-out file is gone").isNull();
    assertThat(fromLayers.kargs()).containsExactly("console=ttyS0", "quiet");
    assertThat(opened).as("the layer without install.d files is never read").containsExactly(0, 2);
  }

  @Test
  void aSymbolicLinkIsRefusedFromLayersAsFromTheRoot() throws Exception {
    TarBuilder layer = installD(new TarBuilder());
    layer.file("usr/lib/bootj/real.conf", "[install]\nfilesystem = \"xfs\"\n");
    layer.symlink("usr/lib/bootj/install.d/10-link.toml", "../real.conf");
    List<byte[]> layers = List.of(layer.build());
    String expected = InstallConfiguration.DIRECTORY + "/10-link.toml in the image is a symbolic link";

    assertThatThrownBy(() -> InstallConfigurationReader.readFiles(tree(layers), opener(layers, new ArrayList<>())))
        .hasMessageStartingWith(expected);
    assertThatThrownBy(() -> InstallConfiguration.load(unpack(layers))).hasMessageStartingWith(expected);
  }

  @Test
  void anImageWithoutInstallDReadsNoLayer() throws Exception {
    TarBuilder layer = new TarBuilder();
    layer.file("etc/hostname", "tiny\n");
    List<byte[]> layers = List.of(layer.build());
    List<Integer> opened = new ArrayList<>();
    SortedMap<String, String> files = InstallConfigurationReader.readFiles(tree(layers), opener(layers, opened));
    assertThat(files).isEmpty();
    assertThat(opened).isEmpty();
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
        options("{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}"), ProgressListener.NONE)
        .read(ImageReference.parse("oci:" + layout + ":1"), PullPolicy.MISSING);

    assertThat(result.files()).containsExactly(InstallConfiguration.DIRECTORY + "/10-a.toml",
        InstallConfiguration.DIRECTORY + "/20-empty.toml", InstallConfiguration.DIRECTORY + "/30-b.toml");
    assertThat(result.configuration().kargs()).containsExactly("quiet", "debug");
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
        ProgressListener.NONE).read(ImageReference.parse("oci:" + layout + ":1"), PullPolicy.MISSING))
        .isInstanceOf(BootjException.class)
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
  }

  private PullOptions options(String policyJson) throws Exception {
    Path policy = Files.writeString(dir.resolve("policy-" + System.nanoTime() + ".json"), policyJson);
    return new PullOptions(Platform.parse("linux/amd64"), false, true,
        RegistryCredentials.fromEnvironment(null, null, Map.of()), RegistriesConf.NONE,
        TrustPolicy.of(policy, dir.resolve("registries.d")), RetryPolicy.DEFAULT);
  }

  private static ImageTree tree(List<byte[]> layers) throws Exception {
    List<List<LayerListing.Entry>> listings = new ArrayList<>();
    for (byte[] layer : layers) {
      listings.add(LayerListing.read(new ByteArrayInputStream(layer)));
    }
    return ImageTree.of(listings);
  }

  private static TreePatcher.LayerOpener opener(List<byte[]> layers, List<Integer> opened) {
    return index -> {
      opened.add(index);
      return new ByteArrayInputStream(layers.get(index));
    };
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
