package dev.bootj.oci.trust.sigstore;

import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.bytes;
import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.key;
import static dev.bootj.oci.trust.sigstore.SigstoreFixtures.property;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.InvalidKeyException;
import org.junit.jupiter.api.Test;

/** Keys written by openssl and python3-cryptography; fingerprints computed by openssl | sha256sum. */
class SigstorePublicKeyTest {

  @Test
  void fingerprintIsTheSha256OfTheDerSubjectPublicKeyInfo() {
    assertThat(key("ecdsa.pub.pem").fingerprint()).isEqualTo(property("ecdsa"));
    assertThat(key("ecdsa-p384.pub.pem").fingerprint()).isEqualTo(property("ecdsaP384"));
    assertThat(key("rsa.pub.pem").fingerprint()).isEqualTo(property("rsa"));
    assertThat(key("ed25519.pub.pem").fingerprint()).isEqualTo(property("ed25519"));
  }

  @Test
  void describesTheKeyType() {
    assertThat(key("ecdsa.pub.pem").description()).isEqualTo("ECDSA P-256");
    assertThat(key("ecdsa-p384.pub.pem").description()).isEqualTo("ECDSA P-384");
    assertThat(key("rsa.pub.pem").description()).isEqualTo("RSA 3072");
    assertThat(key("ed25519.pub.pem").description()).isEqualTo("Ed25519");
  }

  @Test
  void textAroundThePemBlockIsIgnored() throws Exception {
    byte[] withComment = ("cosign public key of the OS team\n" + new String(bytes("ecdsa.pub.pem"), US_ASCII)).getBytes(US_ASCII);

    assertThat(SigstorePublicKey.parsePem(withComment).fingerprint()).isEqualTo(property("ecdsa"));
  }

  @Test
  void refusesAPkcs1RsaPublicKey() {
    assertThatThrownBy(() -> SigstorePublicKey.parsePem(bytes("rsa-pkcs1.pub.pem")))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("\"RSA PUBLIC KEY\"");
  }

  @Test
  void refusesShortRsaKeysAndUnusedCurves() {
    assertThatThrownBy(() -> SigstorePublicKey.parsePem(bytes("rsa-1024.pub.pem")))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("1024-bit");
    assertThatThrownBy(() -> SigstorePublicKey.parsePem(bytes("secp256k1.pub.pem")))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("curve");
  }

  @Test
  void refusesWhatIsNoPemPublicKey() {
    assertThatThrownBy(() -> SigstorePublicKey.parsePem("not a key".getBytes(US_ASCII)))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("no PEM block");
    assertThatThrownBy(() -> SigstorePublicKey.parsePem(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".getBytes(US_ASCII)))
        .isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> SigstorePublicKey.parsePem(new byte[SigstorePublicKey.MAX_PEM_BYTES + 1]))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("more than");
  }
}
