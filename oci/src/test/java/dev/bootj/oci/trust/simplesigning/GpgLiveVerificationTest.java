package dev.bootj.oci.trust.simplesigning;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.oci.reference.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed fixtures, made again now with the gpg (and skopeo) of this machine: keys made and
 * messages signed by gpg must verify, and skopeo's own verifier (containers/image) must accept
 * exactly the payloads bootj accepts. Skipped where gpg or skopeo is not installed.
 */
class GpgLiveVerificationTest {

  private static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
          + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + "12".repeat(32) + "\",\"size\":2},\"layers\":[]}";

  @ParameterizedTest
  @ValueSource(strings = {"rsa3072", "ed25519"})
  void verifiesWhatGpgSigns(String algorithm) throws Exception {
    assumeTrue(Files.isExecutable(GpgHome.GPG), "gpg is not installed");
    try (GpgHome gpg = new GpgHome()) {
      String fingerprint = gpg.generateKey("live@example.test", algorithm);
      Path payload = gpg.path().resolve("payload.json");
      String digest = Digest.of(MANIFEST.getBytes(UTF_8)).toString();
      Files.writeString(payload, "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/os:2\"},\"image\":"
          + "{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"atomic container signature\"},\"optional\":{}}");
      Path signature = gpg.path().resolve("signature-1");
      gpg.gpg("--local-user", fingerprint + "!", "--output", signature.toString(), "--sign", payload.toString());
      Path publicKey = gpg.path().resolve("key.asc");
      gpg.gpg("--armor", "--output", publicKey.toString(), "--export", fingerprint);

      VerifiedSignature verified = new SimpleSigningVerifier(OpenPgpKeyring.parse(Files.readAllBytes(publicKey)))
          .verify(Files.readAllBytes(signature));

      assertThat(verified.keyFingerprint()).isEqualTo(fingerprint);
      assertThat(verified.payload()).isEqualTo(new SignaturePayload("registry.example/os:2", digest));
    }
  }

  @Test
  void acceptsExactlyThePayloadsSkopeoAccepts() throws Exception {
    assumeTrue(Files.isExecutable(GpgHome.GPG), "gpg is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
    try (GpgHome gpg = new GpgHome()) {
      String fingerprint = gpg.generateKey("oracle@example.test", "ed25519");
      OpenPgpKeyring keyring = OpenPgpKeyring.parse(gpg.gpg("--armor", "--export", fingerprint).getBytes(UTF_8));
      Path manifest = gpg.path().resolve("manifest.json");
      Files.writeString(manifest, MANIFEST);
      String digest = Digest.of(MANIFEST.getBytes(UTF_8)).toString();
      String reference = "registry.example/os:1";
      String identity = "{\"docker-reference\":\"" + reference + "\"}";
      String image = "{\"docker-manifest-digest\":\"" + digest + "\"}";
      String type = "\"atomic container signature\"";

      List<String> payloads = new ArrayList<>();
      payloads.add(payload(identity, image, type, "{}"));
      payloads.add(payload(identity, image, type, "{\"creator\":\"x\",\"timestamp\":1700000000,\"other\":[1]}"));
      payloads.add(payload(identity, image, type, "{\"timestamp\":1.5}"));
      payloads.add(payload(identity, image, type, "{\"creator\":5}"));
      payloads.add(payload(identity, image, type, "null"));
      payloads.add(payload(identity, image, "\"cosign container image signature\"", "{}"));
      payloads.add(payload(identity, image.replace("}", ",\"x\":1}"), type, "{}"));
      payloads.add(payload(identity.replace("}", ",\"x\":1}"), image, type, "{}"));
      payloads.add(payload(identity, image.replace("sha256:", "sha256:A"), type, "{}"));
      payloads.add(payload(identity, image, type, "{}").replace("{\"critical\"", "{\"extra\":1,\"critical\""));
      payloads.add(payload(identity, image, type, "{}").replace("\"type\":", "\"type\":\"x\",\"type\":"));
      payloads.add(payload(identity, image, type, "{}") + " {}");
      payloads.add(payload(identity, image, type, "{}").replace(",\"optional\":{}", ""));

      for (String payload : payloads) {
        Path payloadFile = gpg.path().resolve("payload.json");
        Files.writeString(payloadFile, payload);
        Path signature = gpg.path().resolve("signature");
        Files.deleteIfExists(signature);
        gpg.gpg("--local-user", fingerprint + "!", "--output", signature.toString(), "--sign", payloadFile.toString());

        boolean skopeoAccepts = gpg.run(List.of("/usr/bin/skopeo", "standalone-verify", manifest.toString(), reference,
            fingerprint, signature.toString())).exit() == 0;
        boolean bootjAccepts;
        try {
          SignaturePayload claimed = new SimpleSigningVerifier(keyring).verify(Files.readAllBytes(signature)).payload();
          bootjAccepts = claimed.manifestDigest().equals(digest) && claimed.dockerReference().equals(reference);
        } catch (InvalidSignatureException e) {
          bootjAccepts = false;
        }

        assertThat(bootjAccepts).as(payload).isEqualTo(skopeoAccepts);
      }
    }
  }

  private static String payload(String identity, String image, String type, String optional) {
    return "{\"critical\":{\"identity\":" + identity + ",\"image\":" + image + ",\"type\":" + type + "},\"optional\":" + optional + "}";
  }
}
