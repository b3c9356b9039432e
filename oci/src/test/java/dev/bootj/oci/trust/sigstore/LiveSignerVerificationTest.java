package dev.bootj.oci.trust.sigstore;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed fixtures, made again now by this machine's openssl and python3-cryptography: fresh
 * keys and signatures must verify, and the fingerprint must be what openssl says the DER
 * SubjectPublicKeyInfo hashes to. Skipped where the tool is not installed.
 */
class LiveSignerVerificationTest {

  private static final String PAYLOAD = "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/os\"},"
      + "\"image\":{\"docker-manifest-digest\":\"sha256:" + "cd".repeat(32) + "\"},"
      + "\"type\":\"cosign container image signature\"},\"optional\":null}";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ec_paramgen_curve:P-256", "rsa_keygen_bits:2048"})
  void verifiesWhatOpensslSigns(String keyOption) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Path payload = Files.writeString(dir.resolve("payload.json"), PAYLOAD);
    String algorithm = keyOption.startsWith("ec") ? "EC" : "RSA";
    run("/usr/bin/openssl", "genpkey", "-quiet", "-algorithm", algorithm, "-pkeyopt", keyOption, "-out", dir.resolve("k.key").toString());
    run("/usr/bin/openssl", "pkey", "-in", dir.resolve("k.key").toString(), "-pubout", "-out", dir.resolve("k.pub").toString());
    run("/usr/bin/openssl", "pkey", "-pubin", "-in", dir.resolve("k.pub").toString(), "-outform", "DER", "-out", dir.resolve("k.der").toString());
    run("/usr/bin/openssl", "dgst", "-sha256", "-sign", dir.resolve("k.key").toString(), "-out", dir.resolve("sig").toString(), payload.toString());

    assertVerifies();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "p256"})
  void verifiesWhatPythonCryptographySigns(String algorithm) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
    assumeTrue(run("/usr/bin/python3", "-c", "import cryptography") == 0, "python3-cryptography is not installed");
    Files.writeString(dir.resolve("payload.json"), PAYLOAD);
    String script = String.join("\n",
        "import sys",
        "from cryptography.hazmat.primitives import hashes, serialization",
        "from cryptography.hazmat.primitives.asymmetric import ec, ed25519",
        "d = sys.argv[1]",
        "payload = open(d + '/payload.json', 'rb').read()",
        "if sys.argv[2] == 'ed25519':",
        "    key = ed25519.Ed25519PrivateKey.generate(); sig = key.sign(payload)",
        "else:",
        "    key = ec.generate_private_key(ec.SECP256R1()); sig = key.sign(payload, ec.ECDSA(hashes.SHA256()))",
        "pub = key.public_key()",
        "open(d + '/k.pub', 'wb').write(pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))",
        "open(d + '/k.der', 'wb').write(pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))",
        "open(d + '/sig', 'wb').write(sig)");
    assertThat(run("/usr/bin/python3", "-c", script, dir.toString(), algorithm)).isZero();

    assertVerifies();
  }

  private void assertVerifies() throws Exception {
    SigstorePublicKey key = SigstorePublicKey.parsePem(Files.readAllBytes(dir.resolve("k.pub")));
    String base64 = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("sig")));
    String expectedFingerprint = HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("k.der"))));

    assertThat(new CosignSignatureVerifier(List.of(key)).verify(PAYLOAD.getBytes(US_ASCII), base64).keyFingerprint())
        .isEqualTo(expectedFingerprint);
  }

  private int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(List.of(command) + " did not finish");
    }
    if (process.exitValue() != 0 && command[0].endsWith("openssl")) {
      throw new IOException(List.of(command) + " failed: " + Files.readString(dir.resolve("log")));
    }
    return process.exitValue();
  }
}
