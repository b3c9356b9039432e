package dev.bootj.oci.trust.sigstore;

import static dev.bootj.oci.trust.sigstore.CosignKeyFileOracles.FIXTURE_PASSPHRASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.common.BootjException;
import dev.bootj.oci.trust.sigstore.CosignKeyFileEnvelope.ScryptParameters;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.function.Consumer;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * cosign key files against Python's independent implementation of the format (cosign_key.py:
 * python3-nacl's SecretBox, hashlib.scrypt, python3-cryptography's PKCS#8): keys it wrote are
 * read, keys bootj writes are read by it, and damaged or foreign files are refused in one line.
 */
class CosignKeyFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"python-p256", "python-rsa2048", "python-ed25519", "python-p384"})
  void readsKeysPythonWroteAndDerivesTheirPublicKeys(String name) throws Exception {
    Path key = CosignKeyFileOracles.resource(name + ".key", dir);
    KeyPair pair = CosignKeyFile.read(key, FIXTURE_PASSPHRASE);
    String publicPem = new String(CosignKeyFileOracles.resourceBytes(name + ".pub"), StandardCharsets.US_ASCII);
    assertThat(pair.getPublic().getEncoded()).isEqualTo(CosignKeyFileOracles.publicKey(publicPem).getEncoded());
  }

  @Test
  void fixturesCoverBothPemTypesAndCosignsCurrentScryptCost() throws Exception {
    assertThat(pem(CosignKeyFileOracles.resourceBytes("python-rsa2048.key")).getType())
        .isEqualTo(CosignKeyFile.LEGACY_PEM_TYPE);
    PemObject p256 = pem(CosignKeyFileOracles.resourceBytes("python-p256.key"));
    assertThat(p256.getType()).isEqualTo(CosignKeyFile.PEM_TYPE);
    assertThat(JSON.readTree(p256.getContent()).at("/kdf/params/N").intValue()).isEqualTo(65536);
  }

  @Test
  void readsAKeyPythonWritesNow() throws Exception {
    assumeTrue(CosignKeyFileOracles.pythonAvailable(), "/usr/bin/python3 with python3-nacl is not installed");
    Path passphrase = Files.writeString(dir.resolve("passphrase"), "live passphrase");
    var written = CosignKeyFileOracles.python(dir, "write", "p256", CosignKeyFile.PEM_TYPE, "32768",
        passphrase.toString(), "live.key", "live.pub");
    assertThat(written.exit()).as(written.output()).isZero();

    KeyPair pair = CosignKeyFile.read(dir.resolve("live.key"), "live passphrase".getBytes(StandardCharsets.UTF_8));
    assertThat(pair.getPublic().getEncoded())
        .isEqualTo(CosignKeyFileOracles.publicKey(Files.readString(dir.resolve("live.pub"))).getEncoded());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bootj-p256", "python-rsa2048", "python-ed25519"})
  void pythonReadsKeysBootjWrites(String name) throws Exception {
    assumeTrue(CosignKeyFileOracles.pythonAvailable(), "/usr/bin/python3 with python3-nacl is not installed");
    KeyPair pair = name.equals("bootj-p256") ? newP256()
        : CosignKeyFile.read(CosignKeyFileOracles.resource(name + ".key", dir), FIXTURE_PASSPHRASE);
    byte[] passphrase = "pässphrase".getBytes(StandardCharsets.UTF_8);
    Path key = Files.writeString(dir.resolve("bootj.key"),
        CosignKeyFile.encode(pair, passphrase, ScryptParameters.LEGACY, new SecureRandom()));
    Path passphraseFile = Files.write(dir.resolve("passphrase"), passphrase);

    var read = CosignKeyFileOracles.python(dir, "read", passphraseFile.toString(), key.toString());
    assertThat(read.exit()).as(read.output()).isZero();
    assertThat(CosignKeyFileOracles.publicKey(read.output()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void writesTheDocumentCosignWrites() throws Exception {
    KeyPair pair = newP256();
    String text = CosignKeyFile.encode(pair, "secret".getBytes(StandardCharsets.UTF_8));

    assertThat(text).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n")
        .endsWith("\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    assertThat(text.lines().filter(l -> !l.startsWith("-----"))).allMatch(l -> l.length() <= 64);
    JsonNode document = JSON.readTree(pem(text.getBytes(StandardCharsets.US_ASCII)).getContent());
    assertThat(fieldNames(document)).containsExactly("kdf", "cipher", "ciphertext");
    assertThat(document.at("/kdf/name").textValue()).isEqualTo("scrypt");
    assertThat(document.at("/kdf/params").toString()).isEqualTo("{\"N\":65536,\"r\":8,\"p\":1}");
    assertThat(Base64.getDecoder().decode(document.at("/kdf/salt").textValue())).hasSize(32);
    assertThat(document.at("/cipher/name").textValue()).isEqualTo("nacl/secretbox");
    assertThat(Base64.getDecoder().decode(document.at("/cipher/nonce").textValue())).hasSize(24);

    KeyPair back = CosignKeyFile.decode(text.getBytes(StandardCharsets.US_ASCII),
        "secret".getBytes(StandardCharsets.UTF_8), "k");
    assertThat(((ECPrivateKey) back.getPrivate()).getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
    assertThat(back.getPublic()).isEqualTo(pair.getPublic());
  }

  @Test
  void anEmptyPassphraseIsAPassphraseAsForCosign() throws Exception {
    KeyPair pair = newP256();
    String text = CosignKeyFile.encode(pair, new byte[0], ScryptParameters.LEGACY, new SecureRandom());
    assertThat(CosignKeyFile.decode(text.getBytes(StandardCharsets.US_ASCII), new byte[0], "k").getPublic())
        .isEqualTo(pair.getPublic());
  }

  @Test
  void aWrongPassphraseIsOneLineNamingTheFile() {
    Path key = CosignKeyFileOracles.resource("python-ed25519.key", dir);
    assertThatThrownBy(() -> CosignKeyFile.read(key, "wrong".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(BootjException.class)
        .hasMessage("wrong passphrase for " + key
            + " (or the file is damaged); give the passphrase the key was created with")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.SYSTEM);
  }

  @Test
  void aCorruptedCiphertextIsRefused() throws Exception {
    Path key = tampered(document -> {
      byte[] sealed = Base64.getDecoder().decode(document.get("ciphertext").textValue());
      sealed[sealed.length - 1] ^= 1;
      document.put("ciphertext", Base64.getEncoder().encodeToString(sealed));
    });
    assertThatThrownBy(() -> CosignKeyFile.read(key, FIXTURE_PASSPHRASE))
        .hasMessageStartingWith("wrong passphrase for " + key + " (or the file is damaged)");
  }

  @Test
  void anUnknownKeyDerivationIsRefused() throws Exception {
    Path key = tampered(document -> ((ObjectNode) document.get("kdf")).put("name", "argon2id"));
    assertThatThrownBy(() -> CosignKeyFile.read(key, FIXTURE_PASSPHRASE))
        .hasMessage(key + " derives its key with 'argon2id'; bootj reads cosign keys, which use scrypt");
  }

  @Test
  void anUnknownCipherIsRefused() throws Exception {
    Path key = tampered(document -> ((ObjectNode) document.get("cipher")).put("name", "aes-gcm"));
    assertThatThrownBy(() -> CosignKeyFile.read(key, FIXTURE_PASSPHRASE))
        .hasMessage(key + " is encrypted with 'aes-gcm'; bootj reads cosign keys, which use nacl/secretbox");
  }

  @Test
  void scryptCostsOtherThanCosignsAreRefusedBeforeAnyWork() throws Exception {
    // 2^24 would take gigabytes: a tampered file must not get that far.
    Path key = tampered(document -> ((ObjectNode) document.at("/kdf/params")).put("N", 1 << 24));
    assertThatThrownBy(() -> CosignKeyFile.read(key, FIXTURE_PASSPHRASE))
        .hasMessage(key + " asks for scrypt N=16777216, r=8, p=1; bootj accepts only the parameters cosign uses"
            + " (N=32768, 65536 or 131072 with r=8, p=1)");
  }

  @Test
  void malformedDocumentsNameTheFileAndTheField() throws Exception {
    Path shortNonce = tampered(document -> ((ObjectNode) document.get("cipher")).put("nonce", "AAAA"));
    assertThatThrownBy(() -> CosignKeyFile.read(shortNonce, FIXTURE_PASSPHRASE))
        .hasMessageStartingWith(shortNonce + " is not a readable cosign private key: cipher.nonce has 3 bytes");
    Path noSalt = tampered(document -> ((ObjectNode) document.get("kdf")).remove("salt"));
    assertThatThrownBy(() -> CosignKeyFile.read(noSalt, FIXTURE_PASSPHRASE))
        .hasMessageContaining("'kdf.salt' is missing or not a string");
    Path stringN = tampered(document -> ((ObjectNode) document.at("/kdf/params")).put("N", "32768"));
    assertThatThrownBy(() -> CosignKeyFile.read(stringN, FIXTURE_PASSPHRASE))
        .hasMessageContaining("'kdf.params.N' is missing or not an integer");
    Path notBase64 = tampered(document -> document.put("ciphertext", "!!"));
    assertThatThrownBy(() -> CosignKeyFile.read(notBase64, FIXTURE_PASSPHRASE))
        .hasMessageContaining("'ciphertext' is not base64");
  }

  @Test
  void filesThatAreNotCosignKeysAreRefusedInOneLine() throws Exception {
    Path notJson = Files.writeString(dir.resolve("not-json.key"), CosignKeyFile.pem(CosignKeyFile.PEM_TYPE,
        "hello".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> CosignKeyFile.read(notJson, FIXTURE_PASSPHRASE))
        .hasMessage(notJson + " is not a readable cosign private key: its PEM body is not JSON; write it again with"
            + " 'cosign generate-key-pair' or 'bootj image generate-key'");
    Path plain = Files.writeString(dir.resolve("plain.key"), CosignKeyFile.pem("PRIVATE KEY",
        newP256().getPrivate().getEncoded()));
    assertThatThrownBy(() -> CosignKeyFile.read(plain, FIXTURE_PASSPHRASE))
        .hasMessage(plain + " is a PEM 'PRIVATE KEY', not a cosign private key ('ENCRYPTED SIGSTORE PRIVATE KEY');"
            + " import other keys with 'cosign import-key-pair'");
    Path text = Files.writeString(dir.resolve("text.key"), "just text\n");
    assertThatThrownBy(() -> CosignKeyFile.read(text, FIXTURE_PASSPHRASE))
        .hasMessageContaining("it holds no PEM block");
    Path big = Files.write(dir.resolve("big.key"), new byte[CosignKeyFile.MAX_SIZE + 1]);
    assertThatThrownBy(() -> CosignKeyFile.read(big, FIXTURE_PASSPHRASE))
        .hasMessageContaining("it is larger than 64 KiB");
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> CosignKeyFile.read(missing, FIXTURE_PASSPHRASE))
        .hasMessage("private key " + missing
            + " does not exist; create one with 'bootj image generate-key' or 'cosign generate-key-pair'");
  }

  @Test
  void keysOfOtherAlgorithmsAreRefused() throws Exception {
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(1024);
    String text = CosignKeyFile.encode(dsa.generateKeyPair(), FIXTURE_PASSPHRASE, ScryptParameters.LEGACY,
        new SecureRandom());
    assertThatThrownBy(() -> CosignKeyFile.decode(text.getBytes(StandardCharsets.US_ASCII), FIXTURE_PASSPHRASE,
        "dsa.key"))
        .hasMessage("dsa.key holds a private key of algorithm 1.2.840.10040.4.1; bootj reads ECDSA, RSA and Ed25519"
            + " keys");
  }

  @Test
  void ecdsaKeysOnCurvesCosignDoesNotMakeAreRefused() throws Exception {
    byte[] secp256k1 = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
        SECObjectIdentifiers.secp256k1), new org.bouncycastle.asn1.sec.ECPrivateKey(256, BigInteger.TEN, null))
        .getEncoded();
    byte[] sealed = CosignKeyFileEnvelope.seal(secp256k1, FIXTURE_PASSPHRASE, ScryptParameters.LEGACY,
        new SecureRandom());
    byte[] text = CosignKeyFile.pem(CosignKeyFile.PEM_TYPE, sealed).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> CosignKeyFile.decode(text, FIXTURE_PASSPHRASE, "k1.key"))
        .hasMessage("k1.key holds an ECDSA key on curve 1.3.132.0.10; bootj reads keys on P-256, P-384 and P-521");
  }

  @Test
  void aSealedBoxIsTheTagThenTheCiphertext() {
    byte[] key = new byte[32];
    byte[] nonce = new byte[24];
    byte[] message = "message".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = CosignKeyFileSecretBox.seal(message, nonce, key);
    assertThat(sealed).hasSize(16 + message.length);
    assertThat(CosignKeyFileSecretBox.open(sealed, nonce, key)).hasValueSatisfying(m -> assertThat(m)
        .isEqualTo(message));
    nonce[0] = 1;
    assertThat(CosignKeyFileSecretBox.open(sealed, nonce, key)).isEmpty();
  }

  /** python-ed25519.key (N=32768, the cheapest) with its JSON document changed by {@code change}. */
  private Path tampered(Consumer<ObjectNode> change) throws Exception {
    ObjectNode document = (ObjectNode) JSON.readTree(pem(CosignKeyFileOracles.resourceBytes("python-ed25519.key"))
        .getContent());
    change.accept(document);
    Path key = Files.createTempFile(dir, "tampered", ".key");
    Files.writeString(key, CosignKeyFile.pem(CosignKeyFile.PEM_TYPE, JSON.writeValueAsBytes(document)));
    return key;
  }

  private static PemObject pem(byte[] text) throws Exception {
    try (PemReader reader = new PemReader(new StringReader(new String(text, StandardCharsets.US_ASCII)))) {
      return reader.readPemObject();
    }
  }

  private static java.util.List<String> fieldNames(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static KeyPair newP256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
