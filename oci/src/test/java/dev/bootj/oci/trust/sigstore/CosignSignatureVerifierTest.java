package dev.bootj.oci.trust.sigstore;

import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.bytes;
import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.key;
import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.property;
import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.trust.simplesigning.InvalidSignatureException;
import dev.bootj.oci.trust.simplesigning.InvalidSignatureException.Problem;
import dev.bootj.oci.trust.simplesigning.SignaturePayload;
import dev.bootj.oci.trust.simplesigning.VerifiedSignature;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signatures made by openssl (ECDSA, RSA) and python3-cryptography (Ed25519); see generate.sh. */
class CosignSignatureVerifierTest {

  @ParameterizedTest
  @CsvSource({"ecdsa,ecdsa", "ecdsa-p384,ecdsaP384", "rsa,rsa", "ed25519,ed25519"})
  void acceptsASignatureByATrustedKey(String name, String fingerprintProperty) throws Exception {
    VerifiedSignature verified = new CosignSignatureVerifier(List.of(key(name + ".pub.pem")))
        .verify(bytes("payload.json"), text(name + ".sig.b64"));

    assertThat(verified.keyFingerprint()).isEqualTo(property(fingerprintProperty));
    assertThat(verified.payload()).isEqualTo(new SignaturePayload("registry.example/os", property("digest")));
  }

  @Test
  void anyOfSeveralTrustedKeysMayHaveSigned() throws Exception {
    CosignSignatureVerifier verifier = new CosignSignatureVerifier(
        List.of(key("rsa.pub.pem"), key("untrusted.pub.pem"), key("ed25519.pub.pem")));

    assertThat(verifier.verify(bytes("payload.json"), text("ed25519.sig.b64")).keyFingerprint()).isEqualTo(property("ed25519"));
  }

  @Test
  void acceptsAnAnnotatedPayload() throws Exception {
    VerifiedSignature verified = new CosignSignatureVerifier(List.of(key("ecdsa.pub.pem")))
        .verify(bytes("payload-annotated.json"), text("ecdsa-annotated.sig.b64"));

    assertThat(verified.payload().manifestDigest()).isEqualTo(property("digest"));
  }

  @Test
  void refusesASignatureByAnotherKey() {
    assertThatThrownBy(() -> new CosignSignatureVerifier(List.of(key("ecdsa.pub.pem"), key("rsa.pub.pem")))
        .verify(bytes("payload.json"), text("untrusted.sig.b64")))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED_KEY));
  }

  @Test
  void refusesAPayloadChangedAfterSigning() {
    assertThatThrownBy(() -> new CosignSignatureVerifier(List.of(key("ecdsa.pub.pem")))
        .verify(bytes("payload-tampered.json"), text("ecdsa.sig.b64")))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED_KEY))
        .hasMessageContaining("changed after signing");
  }

  @Test
  void anRsaSignatureDoesNotVerifyUnderAnEcdsaKey() {
    assertThatThrownBy(() -> new CosignSignatureVerifier(List.of(key("ecdsa.pub.pem")))
        .verify(bytes("payload.json"), text("rsa.sig.b64")))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void refusesAMissingOrUndecodableAnnotation() {
    CosignSignatureVerifier verifier = new CosignSignatureVerifier(List.of(key("ecdsa.pub.pem")));

    for (String annotation : new String[] {null, "", "not base64!", "A".repeat(CosignSignatureVerifier.MAX_SIGNATURE_CHARS + 1)}) {
      assertThatThrownBy(() -> verifier.verify(bytes("payload.json"), annotation))
          .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED));
    }
  }

  @Test
  void toleratesLineBreaksInTheBase64AsGoDoes() throws Exception {
    String wrapped = text("ecdsa.sig.b64").replaceAll("(.{20})", "$1\n");

    assertThat(new CosignSignatureVerifier(List.of(key("ecdsa.pub.pem"))).verify(bytes("payload.json"), wrapped).keyFingerprint())
        .isEqualTo(property("ecdsa"));
  }
}
