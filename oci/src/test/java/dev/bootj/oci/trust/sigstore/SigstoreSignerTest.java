package dev.bootj.oci.trust.sigstore;

import static dev.bootj.oci.trust.sigstore.CosignKeyFileOracles.FIXTURE_PASSPHRASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.BootjException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signatures checked by openssl against the public keys Python wrote beside each fixture key:
 * {@code openssl dgst -sha256 -verify} for ECDSA and RSA, {@code openssl pkeyutl -verify -rawin}
 * for pure Ed25519. Each check is also shown to fail for another payload.
 */
class SigstoreSignerTest {

  private static final byte[] PAYLOAD = ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/os\"},"
      + "\"image\":{\"docker-manifest-digest\":\"sha256:" + "ab".repeat(32) + "\"},"
      + "\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"python-p256", "python-rsa2048"})
  void opensslVerifiesEcdsaAndRsaSignatures(String name) throws Exception {
    assumeTrue(CosignKeyFileOracles.opensslAvailable(), "openssl is not installed");
    SigstoreSigner signer = signerFor(name);
    Path pub = CosignKeyFileOracles.resource(name + ".pub", dir);
    Path payload = Files.write(dir.resolve("payload"), PAYLOAD);
    Path signature = Files.write(dir.resolve("signature"),
        Base64.getDecoder().decode(signer.signBase64(PAYLOAD)));

    var verified = CosignKeyFileOracles.openssl(dir, "dgst", "-sha256", "-verify", pub.toString(),
        "-signature", signature.toString(), payload.toString());
    assertThat(verified.output()).contains("Verified OK");
    assertThat(verified.exit()).isZero();

    Path other = Files.write(dir.resolve("other"), "another payload".getBytes(StandardCharsets.UTF_8));
    var refused = CosignKeyFileOracles.openssl(dir, "dgst", "-sha256", "-verify", pub.toString(),
        "-signature", signature.toString(), other.toString());
    assertThat(refused.exit()).as(refused.output()).isNotZero();
  }

  @Test
  void opensslVerifiesPureEd25519Signatures() throws Exception {
    assumeTrue(CosignKeyFileOracles.opensslAvailable(), "openssl is not installed");
    SigstoreSigner signer = signerFor("python-ed25519");
    Path pub = CosignKeyFileOracles.resource("python-ed25519.pub", dir);
    Path payload = Files.write(dir.resolve("payload"), PAYLOAD);
    Path signature = Files.write(dir.resolve("signature"), signer.sign(PAYLOAD));

    var verified = CosignKeyFileOracles.openssl(dir, "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(),
        "-rawin", "-in", payload.toString(), "-sigfile", signature.toString());
    assertThat(verified.output()).contains("Signature Verified Successfully");
    assertThat(verified.exit()).isZero();

    Path other = Files.write(dir.resolve("other"), "another payload".getBytes(StandardCharsets.UTF_8));
    var refused = CosignKeyFileOracles.openssl(dir, "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(),
        "-rawin", "-in", other.toString(), "-sigfile", signature.toString());
    assertThat(refused.exit()).as(refused.output()).isNotZero();
  }

  @Test
  void ecdsaSignaturesAreDerSequences() throws Exception {
    byte[] signature = SigstoreSigner.of(CosignKeyFileTest.newP256().getPrivate(), "k").sign(PAYLOAD);
    // SEQUENCE { INTEGER r, INTEGER s }: at most 72 bytes for P-256, not the 64-byte raw r||s form.
    assertThat(signature[0]).isEqualTo((byte) 0x30);
    assertThat(signature.length).isBetween(8, 72);
    assertThat(signature[1] & 0xff).isEqualTo(signature.length - 2);
  }

  @Test
  void namesTheAlgorithm() throws Exception {
    assertThat(SigstoreSigner.of(CosignKeyFileTest.newP256().getPrivate(), "k").description())
        .isEqualTo("ECDSA P-256 with SHA-256");
    KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
    assertThat(SigstoreSigner.of(ed.generateKeyPair().getPrivate(), "k").description()).isEqualTo("Ed25519");
  }

  @Test
  void otherCurvesAndSmallRsaKeysAreRefused() throws Exception {
    KeyPair p384 = CosignKeyFile.read(CosignKeyFileOracles.resource("python-p384.key", dir), FIXTURE_PASSPHRASE);
    assertThatThrownBy(() -> SigstoreSigner.of(p384.getPrivate(), "p384.key"))
        .isInstanceOf(BootjException.class)
        .hasMessage("p384.key holds an ECDSA key on P-384; bootj signs with ECDSA P-256, RSA (2048 bits or more)"
            + " and Ed25519 keys");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    assertThatThrownBy(() -> SigstoreSigner.of(rsa.generateKeyPair().getPrivate(), "small.key"))
        .hasMessageStartingWith("small.key holds a 1024-bit RSA key;");
    KeyPairGenerator ed448 = KeyPairGenerator.getInstance("Ed448");
    assertThatThrownBy(() -> SigstoreSigner.of(ed448.generateKeyPair().getPrivate(), "ed448.key"))
        .hasMessageStartingWith("ed448.key holds an Ed448 key;");
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(1024);
    assertThatThrownBy(() -> SigstoreSigner.of(dsa.generateKeyPair().getPrivate(), "dsa.key"))
        .hasMessageStartingWith("dsa.key holds a key of type DSA;");
  }

  private SigstoreSigner signerFor(String fixture) throws BootjException {
    Path key = CosignKeyFileOracles.resource(fixture + ".key", dir);
    return SigstoreSigner.of(CosignKeyFile.read(key, FIXTURE_PASSPHRASE).getPrivate(), key.toString());
  }
}
