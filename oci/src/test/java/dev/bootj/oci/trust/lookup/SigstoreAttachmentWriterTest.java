package dev.bootj.oci.trust.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RawManifest;
import dev.bootj.oci.trust.CosignSignature;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigstoreAttachmentWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RegistryReference IMAGE = (RegistryReference) ImageReference.parse("registry.example/team/os:1");
  private static final Digest SIGNED = Digest.parse("sha256:" + "ab".repeat(32));
  private static final RegistryReference TAG = CosignAttachment.reference(IMAGE, SIGNED);

  private final FakeAttachmentRepository registry = new FakeAttachmentRepository();

  private static byte[] payload(String note) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/team/os\"},\"image\":{\"docker-manifest-digest\":\""
        + SIGNED + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"n\":\"" + note + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private SigstoreAttachmentWriter.Result add(byte[] payload, String signature) throws BootjException {
    return SigstoreAttachmentWriter.addSignature(registry, TAG, payload, signature);
  }

  private String pushedManifest() {
    return new String(registry.manifests.get(TAG.tag()).body(), StandardCharsets.UTF_8);
  }

  private String blob(String digest) {
    return new String(registry.blobs.get(Digest.parse(digest)), StandardCharsets.UTF_8);
  }

  @Test
  void aFirstSignatureMakesTheManifestCosignWrites() throws Exception {
    byte[] payload = payload("one");
    Digest payloadDigest = Digest.of(payload);

    SigstoreAttachmentWriter.Result result = add(payload, "MEUCIQ==");

    // go-containerregistry's serialisation of cosign's signature image: field names and order as cosign pushes them.
    String config = "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],"
        + "\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + payloadDigest + "\"]},\"config\":{}}";
    Digest configDigest = Digest.of(config.getBytes(StandardCharsets.UTF_8));
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length() + ",\"digest\":\"" + configDigest + "\"},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payload.length + ",\"digest\":\""
        + payloadDigest + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCIQ==\"}}]}";
    assertThat(pushedManifest()).isEqualTo(manifest);
    assertThat(blob(configDigest.toString())).isEqualTo(config);
    assertThat(registry.blobs.get(payloadDigest)).isEqualTo(payload);
    // Blobs before the manifest that names them.
    assertThat(registry.pushes).containsExactly("blob " + payloadDigest, "blob " + configDigest, "manifest " + TAG.tag());
    assertThat(result).isEqualTo(new SigstoreAttachmentWriter.Result(TAG, Digest.of(manifest.getBytes(StandardCharsets.UTF_8)),
        SigstoreAttachmentWriter.Outcome.ADDED));
    assertThat(registry.manifests.get(TAG.tag()).contentType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
  }

  @Test
  void aSecondSignatureIsAppendedKeepingEverythingElse() throws Exception {
    // An existing manifest as cosign writes it with a Rekor bundle, plus fields bootj does not know.
    byte[] first = payload("first");
    Digest firstDigest = registry.put(first);
    String config = "{\"architecture\":\"\",\"created\":\"2024-04-08T18:08:39Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],"
        + "\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + firstDigest + "\"]},\"config\":{},\"x-extra\":1}";
    Digest configDigest = registry.put(config.getBytes(StandardCharsets.UTF_8));
    String existing = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length() + ",\"digest\":\"" + configDigest + "\"},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + first.length + ",\"digest\":\"" + firstDigest
        + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"Zmlyc3Q=\",\"dev.sigstore.cosign/bundle\":\"{\\\"a\\\":1}\"}}],"
        + "\"annotations\":{\"kept\":\"yes\"}}";
    registry.manifests.put(TAG.tag(), new RawManifest(existing.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json"));
    byte[] second = payload("second");

    add(second, "c2Vjb25k");

    JsonNode manifest = JSON.readTree(pushedManifest());
    assertThat(manifest.get("layers")).hasSize(2);
    assertThat(manifest.get("layers").get(0)).isEqualTo(JSON.readTree(existing).get("layers").get(0));
    assertThat(manifest.get("layers").get(1).get("digest").asText()).isEqualTo(Digest.of(second).toString());
    assertThat(manifest.get("annotations").get("kept").asText()).isEqualTo("yes");
    JsonNode newConfig = JSON.readTree(blob(manifest.get("config").get("digest").asText()));
    assertThat(newConfig.get("rootfs").get("diff_ids")).extracting(JsonNode::asText)
        .containsExactly(firstDigest.toString(), Digest.of(second).toString());
    assertThat(newConfig.get("history")).hasSize(2);
    assertThat(newConfig.get("created").asText()).isEqualTo("2024-04-08T18:08:39Z");
    assertThat(newConfig.get("x-extra").asInt()).isEqualTo(1);
    assertThat(manifest.get("config").get("size").asLong()).isEqualTo(registry.blobs.get(Digest.parse(manifest.get("config").get("digest").asText())).length);
  }

  @Test
  void theSameSignatureTwiceIsStoredOnce() throws Exception {
    byte[] payload = payload("once");
    SigstoreAttachmentWriter.Result first = add(payload, "c2ln");
    int pushes = registry.pushes.size();

    SigstoreAttachmentWriter.Result again = add(payload, "c2ln");

    assertThat(again.outcome()).isEqualTo(SigstoreAttachmentWriter.Outcome.ALREADY_PRESENT);
    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(registry.pushes).hasSize(pushes);
  }

  @Test
  void theSamePayloadWithAnotherSignatureIsAnotherLayer() throws Exception {
    // ECDSA signatures differ on every run: a re-signature is a new signature, as with cosign without its duplicate check.
    add(payload("p"), "c2lnLTE=");
    add(payload("p"), "c2lnLTI=");

    assertThat(SigstoreAttachmentReader.read(registry, IMAGE, SIGNED)).extracting(CosignSignature::base64Signature)
        .containsExactly("c2lnLTE=", "c2lnLTI=");
  }

  @Test
  void whatItWritesItReadsBack() throws Exception {
    add(payload("a"), "YQ==");
    add(payload("b"), "Yg==");

    assertThat(SigstoreAttachmentReader.read(registry, IMAGE, SIGNED))
        .extracting(s -> new String(s.payload(), StandardCharsets.UTF_8) + " " + s.base64Signature())
        .containsExactly(new String(payload("a"), StandardCharsets.UTF_8) + " YQ==", new String(payload("b"), StandardCharsets.UTF_8) + " Yg==");
  }

  @Test
  void anExistingManifestOfAnotherKindIsNotOverwritten() {
    registry.manifests.put(TAG.tag(), new RawManifest("{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8),
        "application/vnd.oci.image.index.v1+json"));

    assertThatThrownBy(() -> add(payload("x"), "eA=="))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageContaining("not an OCI image manifest");
    assertThat(registry.pushes).isEmpty();
  }

  @Test
  void anExistingConfigThatIsNotItsDigestIsRefused() throws Exception {
    add(payload("a"), "YQ==");
    JsonNode manifest = JSON.readTree(pushedManifest());
    registry.blobs.put(Digest.parse(manifest.get("config").get("digest").asText()), "{}".getBytes(StandardCharsets.UTF_8));
    registry.pushes.clear();

    assertThatThrownBy(() -> add(payload("b"), "Yg=="))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageContaining("does not match its digest");
    assertThat(registry.pushes).isEmpty();
  }
}
