package dev.bootj.oci.trust.sigstore;

import dev.bootj.common.BootjException;
import dev.bootj.oci.trust.sigstore.CosignKeyFileEnvelope.ScryptParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * cosign's passphrase-protected private key file ({@code cosign.key}): one PEM block of type
 * {@value #PEM_TYPE} (or {@value #LEGACY_PEM_TYPE}, which older cosign releases wrote) whose body
 * is a JSON document sealing a PKCS#8 private key with scrypt and NaCl secretbox (see
 * {@link CosignKeyFileEnvelope}). bootj reads keys cosign wrote and writes keys cosign reads.
 *
 * <p>Every failure is one line naming the file: a wrong passphrase, a malformed file, a key type
 * bootj does not sign with.
 */
public final class CosignKeyFile {

  /** The PEM type cosign writes today. */
  public static final String PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
  /** The PEM type of keys written by cosign before 2.0; the content is the same. */
  public static final String LEGACY_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";

  /** Far above an RSA-4096 key (about 5 KiB); a bigger file is not a key, so bootj does not read it. */
  static final int MAX_SIZE = 64 * 1024;

  private CosignKeyFile() {}

  /** The key pair in {@code file}, decrypted with {@code passphrase} (its UTF-8 bytes). */
  public static KeyPair read(Path file, byte[] passphrase) throws BootjException {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_SIZE + 1);
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "private key " + file
          + " does not exist; create one with 'bootj image generate-key' or 'cosign generate-key-pair'", e);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read private key " + file + ": " + e.getMessage(),
          e);
    }
    if (content.length > MAX_SIZE) {
      throw CosignKeyFileEnvelope.malformed(file.toString(), "it is larger than " + MAX_SIZE / 1024 + " KiB");
    }
    return decode(content, passphrase, file.toString());
  }

  /**
   * The key pair in the PEM text {@code pem}.
   *
   * @param source where the text came from (a file name), for messages
   */
  public static KeyPair decode(byte[] pem, byte[] passphrase, String source) throws BootjException {
    PemObject block;
    try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
      block = reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw CosignKeyFileEnvelope.malformed(source, "its PEM block is damaged");
    }
    if (block == null) {
      throw CosignKeyFileEnvelope.malformed(source, "it holds no PEM block");
    }
    if (!block.getType().equals(PEM_TYPE) && !block.getType().equals(LEGACY_PEM_TYPE)) {
      throw new BootjException(BootjException.Kind.SYSTEM, source + " is a PEM '" + block.getType()
          + "', not a cosign private key ('" + PEM_TYPE + "'); import other keys with 'cosign import-key-pair'");
    }
    byte[] der = CosignKeyFileEnvelope.open(block.getContent(), passphrase, source);
    try {
      return CosignKeyFilePkcs8.decode(der, source);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * {@code pair}'s private key as the PEM text of a new key file, sealed with {@code passphrase}
   * under the scrypt cost cosign uses today (N=65536, r=8, p=1), so cosign reads it as its own.
   */
  public static String encode(KeyPair pair, byte[] passphrase) {
    return encode(pair, passphrase, ScryptParameters.STANDARD, new SecureRandom());
  }

  static String encode(KeyPair pair, byte[] passphrase, ScryptParameters scrypt, SecureRandom random) {
    byte[] der = CosignKeyFilePkcs8.encode(pair);
    byte[] sealed = CosignKeyFileEnvelope.seal(der, passphrase, scrypt, random);
    Arrays.fill(der, (byte) 0);
    return pem(PEM_TYPE, sealed);
  }

  /** A PEM block with 64-character lines, no headers and "\n" line ends, as Go's encoding/pem writes it. */
  static String pem(String type, byte[] content) {
    String base64 = Base64.getEncoder().encodeToString(content);
    StringBuilder text = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
    for (int line = 0; line < base64.length(); line += 64) {
      text.append(base64, line, Math.min(line + 64, base64.length())).append('\n');
    }
    return text.append("-----END ").append(type).append("-----\n").toString();
  }
}
