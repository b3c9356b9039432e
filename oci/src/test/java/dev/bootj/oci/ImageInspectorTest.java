package dev.bootj.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.OfflinePullOptions;
import dev.bootj.oci.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inspecting under the signature policy: a refused image leaves nothing in the store. */
class ImageInspectorTest {

  @TempDir Path dir;
  ImageReference image;
  Digest manifest;
  BlobStore store;

  @BeforeEach
  void oneLayerImage() throws Exception {
    TarBuilder tar = new TarBuilder();
    tar.file("etc/hostname", "box\n");
    Path layout = dir.resolve("layout");
    manifest = OciLayoutWriter.write(layout, "1", List.of(OciLayoutWriter.Layer.gzip(tar.build())));
    image = ImageReference.parse("oci:" + layout + ":1");
    store = BlobStore.open(dir.resolve("store"));
  }

  private ImageInspector inspector(String policy) throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), policy);
    PullOptions options = OfflinePullOptions.under(TrustPolicy.of(file, dir.resolve("registries.d")));
    return new ImageInspector(store, options);
  }

  @Test
  void aRefusedImageIsRefusedWithItsDigestBeforeItsConfigIsStored() throws Exception {
    ImageInspector inspector = inspector("{\"default\": [{\"type\": \"reject\"}]}");

    ImageRefusedException refused = catchThrowableOfType(
        () -> inspector.inspectTrusted(image, PullPolicy.ALWAYS), ImageRefusedException.class);

    assertThat(refused.kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(refused.manifestDigest()).isEqualTo(manifest);
    assertThat(refused).hasMessageContaining("rejects every");
    try (Stream<Path> blobs = Files.list(store.root().resolve("blobs/sha256"))) {
      assertThat(blobs).isEmpty();
    }
  }

  @Test
  void anAcceptedImageHasItsConfigStoredAndItsAcceptance() throws Exception {
    InspectedImage inspected = inspector("{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}")
        .inspectTrusted(image, PullPolicy.ALWAYS);

    assertThat(inspected.manifestDigest()).isEqualTo(manifest);
    assertThat(store.contains(inspected.manifest().config().digest())).isTrue();
    assertThat(inspected.acceptance().requirements()).hasSize(1);
  }
}
