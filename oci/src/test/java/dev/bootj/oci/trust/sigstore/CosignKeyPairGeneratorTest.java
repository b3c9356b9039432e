package dev.bootj.oci.trust.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.BootjException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated key pair as openssl and Python see it: openssl reads {@code P.pub} as a P-256 key
 * and verifies what the private key signs; Python's cosign-format reader decrypts {@code P.key}
 * to the same key. One generation (scrypt at cosign's cost) serves every check.
 */
class CosignKeyPairGeneratorTest {

  private static final byte[] PASSPHRASE = "generated".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path shared;
  private static CosignKeyPairGenerator.GeneratedKeyPair generated;

  @TempDir Path dir;

  @BeforeAll
  static void generate() throws BootjException {
    generated = new CosignKeyPairGenerator().generate(shared.resolve("cosign"), PASSPHRASE);
  }

  @Test
  void writesPrefixKeyReadableByItsOwnerOnlyAndPrefixPub() throws Exception {
    assertThat(generated.privateKeyFile()).isEqualTo(shared.resolve("cosign.key"));
    assertThat(generated.publicKeyFile()).isEqualTo(shared.resolve("cosign.pub"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated.privateKeyFile())))
        .isEqualTo("rw-------");
    assertThat(Files.readString(generated.privateKeyFile()))
        .startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    assertThat(Files.readString(generated.publicKeyFile())).startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  void opensslReadsThePublicKeyAsP256AndItsFingerprintIsTheSha256OfItsDer() throws Exception {
    assumeTrue(CosignKeyFileOracles.opensslAvailable(), "openssl is not installed");
    var text = CosignKeyFileOracles.openssl(dir, "pkey", "-pubin", "-in", generated.publicKeyFile().toString(),
        "-noout", "-text");
    assertThat(text.output()).contains("ASN1 OID: prime256v1", "NIST CURVE: P-256");
    Path der = dir.resolve("pub.der");
    var converted = CosignKeyFileOracles.openssl(dir, "pkey", "-pubin", "-in", generated.publicKeyFile().toString(),
        "-outform", "DER", "-out", der.toString());
    assertThat(converted.exit()).as(converted.output()).isZero();
    assertThat(generated.publicKeySha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(der))));
  }

  @Test
  void opensslVerifiesWhatThePrivateKeySigns() throws Exception {
    assumeTrue(CosignKeyFileOracles.opensslAvailable(), "openssl is not installed");
    var signer = SigstoreSigner.of(CosignKeyFile.read(generated.privateKeyFile(), PASSPHRASE).getPrivate(), "k");
    byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
    Path signature = Files.write(dir.resolve("sig"), signer.sign(payload));
    var verified = CosignKeyFileOracles.openssl(dir, "dgst", "-sha256", "-verify",
        generated.publicKeyFile().toString(), "-signature", signature.toString(),
        Files.write(dir.resolve("payload"), payload).toString());
    assertThat(verified.output()).contains("Verified OK");
  }

  @Test
  void pythonDecryptsThePrivateKeyToTheWrittenPublicKey() throws Exception {
    assumeTrue(CosignKeyFileOracles.pythonAvailable(), "/usr/bin/python3 with python3-nacl is not installed");
    Path passphrase = Files.write(dir.resolve("passphrase"), PASSPHRASE);
    var read = CosignKeyFileOracles.python(dir, "read", passphrase.toString(), generated.privateKeyFile().toString());
    assertThat(read.exit()).as(read.output()).isZero();
    assertThat(read.output()).isEqualTo(Files.readString(generated.publicKeyFile()));
  }

  @Test
  void neverOverwritesAKeyOrAPublicKey() throws Exception {
    Path key = Files.writeString(dir.resolve("a.key"), "precious");
    assertThatThrownBy(() -> new CosignKeyPairGenerator().generate(dir.resolve("a"), PASSPHRASE))
        .isInstanceOf(BootjException.class)
        .hasMessage(key + " already exists; bootj never overwrites a key: move it away or choose another name");
    assertThat(Files.readString(key)).isEqualTo("precious");
    assertThat(dir.resolve("a.pub")).doesNotExist();

    Path pub = Files.writeString(dir.resolve("b.pub"), "precious");
    assertThatThrownBy(() -> new CosignKeyPairGenerator().generate(dir.resolve("b"), PASSPHRASE))
        .hasMessageStartingWith(pub + " already exists;");
    assertThat(dir.resolve("b.key")).doesNotExist();

    Path dangling = Files.createSymbolicLink(dir.resolve("c.key"), dir.resolve("elsewhere"));
    assertThatThrownBy(() -> new CosignKeyPairGenerator().generate(dir.resolve("c"), PASSPHRASE))
        .hasMessageStartingWith(dangling + " already exists;");
    assertThat(dir.resolve("elsewhere")).doesNotExist();
  }

  @Test
  void refusesAMissingDirectory() {
    Path prefix = dir.resolve("missing/cosign");
    assertThatThrownBy(() -> new CosignKeyPairGenerator().generate(prefix, PASSPHRASE))
        .hasMessage("cannot write " + prefix + ".key: directory " + dir.resolve("missing") + " does not exist");
  }
}
