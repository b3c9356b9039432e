package dev.bootj.oci.trust.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RawManifest;
import dev.bootj.oci.trust.CosignSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigstoreAttachmentReaderTest {

  private static final RegistryReference IMAGE = (RegistryReference) ImageReference.parse("registry.example/team/os:1");
  private static final Digest SIGNED = Digest.parse("sha256:" + "ab".repeat(32));
  private static final String TAG = "sha256-" + "ab".repeat(32) + ".sig";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private final FakeAttachmentRepository registry = new FakeAttachmentRepository();

  private static byte[] payload(String text) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/team/os\"},\"image\":{\"docker-manifest-digest\":\""
        + SIGNED + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"note\":\"" + text + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private String layer(String mediaType, byte[] content, String annotations) {
    Digest digest = registry.put(content);
    return "{\"mediaType\":\"" + mediaType + "\",\"size\":" + content.length + ",\"digest\":\"" + digest + "\""
        + (annotations == null ? "" : ",\"annotations\":" + annotations) + "}";
  }

  private void manifest(String contentType, String... layers) {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Digest configDigest = registry.put(config);
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        + "\"size\":2,\"digest\":\"" + configDigest + "\"},\"layers\":[" + String.join(",", layers) + "]}";
    registry.manifests.put(TAG, new RawManifest(json.getBytes(StandardCharsets.UTF_8), contentType));
  }

  private List<CosignSignature> read() throws BootjException {
    return SigstoreAttachmentReader.read(registry, IMAGE, SIGNED);
  }

  @Test
  void noSignatureTagMeansNoSignatures() throws Exception {
    assertThat(read()).isEmpty();
  }

  @Test
  void readsEachSignatureLayerInOrder() throws Exception {
    // The shape cosign writes, with a Rekor bundle annotation next to the signature.
    manifest(OCI_MANIFEST,
        layer("application/vnd.dev.cosign.simplesigning.v1+json", payload("one"),
            "{\"dev.cosignproject.cosign/signature\":\"c2lnLTE=\",\"dev.sigstore.cosign/bundle\":\"{}\"}"),
        layer("application/vnd.dev.cosign.simplesigning.v1+json", payload("two"), "{\"dev.cosignproject.cosign/signature\":\"c2lnLTI=\"}"));

    List<CosignSignature> signatures = read();

    assertThat(signatures).extracting(CosignSignature::base64Signature).containsExactly("c2lnLTE=", "c2lnLTI=");
    assertThat(signatures.get(0).payload()).isEqualTo(payload("one"));
    assertThat(signatures.get(1).payload()).isEqualTo(payload("two"));
  }

  @Test
  void otherAttachmentsAndUnsignedPayloadsAreNotDownloaded() throws Exception {
    byte[] attestation = "{\"payloadType\":\"application/vnd.in-toto+json\"}".getBytes(StandardCharsets.UTF_8);
    manifest("application/vnd.oci.image.manifest.v1+json; charset=utf-8",
        layer("application/vnd.dsse.envelope.v1+json", attestation, "{\"dev.cosignproject.cosign/signature\":\"\"}"),
        layer("application/vnd.dev.cosign.simplesigning.v1+json", payload("unsigned"), "{\"other\":\"x\"}"),
        layer("application/vnd.dev.cosign.simplesigning.v1+json", payload("signed"), "{\"dev.cosignproject.cosign/signature\":\"c2ln\"}"));

    List<CosignSignature> signatures = read();

    assertThat(signatures).extracting(CosignSignature::base64Signature).containsExactly("c2ln");
    assertThat(registry.blobReads).containsExactly(Digest.of(payload("signed")));
  }

  @Test
  void aPayloadThatIsNotItsDigestIsRefused() {
    manifest(OCI_MANIFEST, layer("application/vnd.dev.cosign.simplesigning.v1+json", payload("real"), "{\"dev.cosignproject.cosign/signature\":\"c2ln\"}"));
    registry.blobs.put(Digest.of(payload("real")), payload("forged"));

    assertThatThrownBy(this::read)
        .isInstanceOf(BootjException.class)
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageContaining("the signature payload " + Digest.of(payload("real")).shortHex() + " of registry.example/team/os:" + TAG
            + " does not match its digest");
  }

  @Test
  void aDockerManifestIsNotASignatureManifest() {
    manifest("application/vnd.docker.distribution.manifest.v2+json");

    assertThatThrownBy(this::read)
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessage("the cosign signature manifest registry.example/team/os:" + TAG
            + " is a 'application/vnd.docker.distribution.manifest.v2+json', not an OCI image manifest"
            + " (application/vnd.oci.image.manifest.v1+json); it is not what cosign writes");
  }

  @Test
  void aMalformedManifestIsAnIntegrityError() {
    registry.manifests.put(TAG, new RawManifest("{\"schemaVersion\":2,\"layers\":{}}".getBytes(StandardCharsets.UTF_8), OCI_MANIFEST));

    assertThatThrownBy(this::read)
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageStartingWith("the cosign signature manifest registry.example/team/os:" + TAG + " is malformed");
  }

  @Test
  void notJsonIsAnIntegrityError() {
    registry.manifests.put(TAG, new RawManifest("<html>".getBytes(StandardCharsets.UTF_8), OCI_MANIFEST));

    assertThatThrownBy(this::read)
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageContaining("is malformed: it is not valid JSON");
  }

  @Test
  void anOversizedPayloadIsRefusedBeforeDownload() {
    String big = "{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + (4 * 1024 * 1024 + 1)
        + ",\"digest\":\"sha256:" + "00".repeat(32) + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"c2ln\"}}";
    manifest(OCI_MANIFEST, big);

    assertThatThrownBy(this::read)
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageContaining("refusing payloads larger than 4 MiB");
    assertThat(registry.blobReads).isEmpty();
  }

  @Test
  void theNumberOfSignaturesIsBounded() {
    String[] layers = new String[SigstoreAttachmentReader.MAX_SIGNATURES + 1];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = layer("application/vnd.dev.cosign.simplesigning.v1+json", payload("n" + i), "{\"dev.cosignproject.cosign/signature\":\"c2ln\"}");
    }
    manifest(OCI_MANIFEST, layers);

    assertThatThrownBy(this::read).hasMessageContaining("holds more than 128 signatures");
  }

  @Test
  void theTagIsCosignsSignatureTag() {
    assertThat(CosignAttachment.tag(SIGNED)).isEqualTo(TAG);
    assertThat(CosignAttachment.reference(IMAGE, SIGNED)).hasToString("registry.example/team/os:" + TAG);
  }
}
