package dev.bootj.oci.trust.sigstore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.common.BootjException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The passphrase-encrypted JSON document inside a cosign private key's PEM block, as sigstore's
 * Go code writes it (go-securesystemslib's {@code encrypted} package):
 * <pre>
 * {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":BASE64},
 *  "cipher":{"name":"nacl/secretbox","nonce":BASE64},"ciphertext":BASE64}
 * </pre>
 * scrypt turns the passphrase and the 32-byte salt into a 32-byte secretbox key; the 24-byte
 * nonce and the key seal the plaintext.
 */
final class CosignKeyFileEnvelope {

  /**
   * scrypt's cost parameters. Reading accepts only the three sets sigstore writes or accepts, so
   * that a tampered file cannot make bootj spend minutes and gigabytes deriving a key.
   */
  record ScryptParameters(int n, int r, int p) {

    /** What cosign wrote before go-securesystemslib took over the format (2^15). */
    static final ScryptParameters LEGACY = new ScryptParameters(32768, 8, 1);
    /** What cosign writes today (2^16). */
    static final ScryptParameters STANDARD = new ScryptParameters(65536, 8, 1);
    /** OWASP's recommendation (2^17), accepted by sigstore. */
    static final ScryptParameters OWASP = new ScryptParameters(131072, 8, 1);

    static final List<ScryptParameters> ACCEPTED = List.of(LEGACY, STANDARD, OWASP);

    @Override
    public String toString() {
      return "N=" + n + ", r=" + r + ", p=" + p;
    }
  }

  static final String KDF_NAME = "scrypt";
  static final String CIPHER_NAME = "nacl/secretbox";
  static final int SALT_SIZE = 32;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private CosignKeyFileEnvelope() {}

  /** The JSON document holding {@code plaintext} sealed under {@code passphrase}. */
  static byte[] seal(byte[] plaintext, byte[] passphrase, ScryptParameters scrypt, SecureRandom random) {
    byte[] salt = new byte[SALT_SIZE];
    random.nextBytes(salt);
    byte[] nonce = new byte[CosignKeyFileSecretBox.NONCE_SIZE];
    random.nextBytes(nonce);
    byte[] key = deriveKey(passphrase, salt, scrypt);
    byte[] sealed = CosignKeyFileSecretBox.seal(plaintext, nonce, key);
    Arrays.fill(key, (byte) 0);

    Base64.Encoder base64 = Base64.getEncoder();
    ObjectNode document = MAPPER.createObjectNode();
    ObjectNode kdf = document.putObject("kdf");
    kdf.put("name", KDF_NAME);
    kdf.putObject("params").put("N", scrypt.n()).put("r", scrypt.r()).put("p", scrypt.p());
    kdf.put("salt", base64.encodeToString(salt));
    document.putObject("cipher").put("name", CIPHER_NAME).put("nonce", base64.encodeToString(nonce));
    document.put("ciphertext", base64.encodeToString(sealed));
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /**
   * The plaintext sealed in {@code json}.
   *
   * @param source the key file, for messages
   * @throws BootjException when the document is malformed, names another algorithm, or the
   *     passphrase does not open it
   */
  static byte[] open(byte[] json, byte[] passphrase, String source) throws BootjException {
    JsonNode document;
    try {
      document = MAPPER.readTree(json);
    } catch (IOException e) {
      throw malformed(source, "its PEM body is not JSON");
    }
    if (document == null || !document.isObject()) {
      throw malformed(source, "its PEM body is not a JSON object");
    }
    JsonNode kdf = object(document, "kdf", source);
    String kdfName = text(kdf, "name", "kdf.name", source);
    if (!KDF_NAME.equals(kdfName)) {
      throw new BootjException(BootjException.Kind.SYSTEM, source + " derives its key with '" + kdfName
          + "'; bootj reads cosign keys, which use scrypt");
    }
    JsonNode cipher = object(document, "cipher", source);
    String cipherName = text(cipher, "name", "cipher.name", source);
    if (!CIPHER_NAME.equals(cipherName)) {
      throw new BootjException(BootjException.Kind.SYSTEM, source + " is encrypted with '" + cipherName
          + "'; bootj reads cosign keys, which use nacl/secretbox");
    }
    JsonNode params = object(kdf, "params", source);
    ScryptParameters scrypt = new ScryptParameters(integer(params, "N", source), integer(params, "r", source),
        integer(params, "p", source));
    if (!ScryptParameters.ACCEPTED.contains(scrypt)) {
      throw new BootjException(BootjException.Kind.SYSTEM, source + " asks for scrypt " + scrypt
          + "; bootj accepts only the parameters cosign uses (N=32768, 65536 or 131072 with r=8, p=1)");
    }
    byte[] salt = bytes(kdf, "salt", "kdf.salt", source);
    if (salt.length == 0) {
      throw malformed(source, "kdf.salt is empty");
    }
    byte[] nonce = bytes(cipher, "nonce", "cipher.nonce", source);
    if (nonce.length != CosignKeyFileSecretBox.NONCE_SIZE) {
      throw malformed(source, "cipher.nonce has " + nonce.length + " bytes instead of "
          + CosignKeyFileSecretBox.NONCE_SIZE);
    }
    byte[] sealed = bytes(document, "ciphertext", "ciphertext", source);
    if (sealed.length < CosignKeyFileSecretBox.TAG_SIZE) {
      throw malformed(source, "ciphertext is shorter than its authentication tag");
    }
    byte[] key = deriveKey(passphrase, salt, scrypt);
    try {
      // A wrong passphrase and an altered ciphertext look the same to an authenticated cipher.
      return CosignKeyFileSecretBox.open(sealed, nonce, key).orElseThrow(() -> new BootjException(
          BootjException.Kind.SYSTEM, "wrong passphrase for " + source
              + " (or the file is damaged); give the passphrase the key was created with"));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] deriveKey(byte[] passphrase, byte[] salt, ScryptParameters scrypt) {
    return SCrypt.generate(passphrase, salt, scrypt.n(), scrypt.r(), scrypt.p(), CosignKeyFileSecretBox.KEY_SIZE);
  }

  private static JsonNode object(JsonNode parent, String field, String source) throws BootjException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw malformed(source, "'" + field + "' is missing or not an object");
    }
    return node;
  }

  private static String text(JsonNode parent, String field, String path, String source) throws BootjException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual()) {
      throw malformed(source, "'" + path + "' is missing or not a string");
    }
    return node.textValue();
  }

  private static int integer(JsonNode params, String field, String source) throws BootjException {
    JsonNode node = params.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      throw malformed(source, "'kdf.params." + field + "' is missing or not an integer");
    }
    return node.intValue();
  }

  private static byte[] bytes(JsonNode parent, String field, String path, String source) throws BootjException {
    String text = text(parent, field, path, source);
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(source, "'" + path + "' is not base64");
    }
  }

  static BootjException malformed(String source, String problem) {
    return new BootjException(BootjException.Kind.SYSTEM, source + " is not a readable cosign private key: "
        + problem + "; write it again with 'cosign generate-key-pair' or 'bootj image generate-key'");
  }
}
