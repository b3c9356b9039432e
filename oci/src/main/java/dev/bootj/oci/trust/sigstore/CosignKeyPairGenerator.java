package dev.bootj.oci.trust.sigstore;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.Set;

/**
 * Makes a new signing key the way {@code cosign generate-key-pair} does: an ECDSA P-256 key pair
 * written as {@code PREFIX.key} (a {@link CosignKeyFile}, readable by its owner only) and
 * {@code PREFIX.pub} (PEM {@code PUBLIC KEY}, the DER SubjectPublicKeyInfo), the file that goes
 * into a containers-policy.json {@code sigstoreSigned} requirement. Existing files are never
 * replaced: losing a signing key cannot be undone.
 */
public final class CosignKeyPairGenerator {

  /** The files written and the public key's fingerprint. */
  public record GeneratedKeyPair(Path privateKeyFile, Path publicKeyFile, String publicKeySha256) {}

  private final SecureRandom random = new SecureRandom();

  /**
   * Writes {@code prefix.key} and {@code prefix.pub}; refuses when either exists. When the second
   * file cannot be written the first is removed again, so a failure leaves no half pair.
   */
  public GeneratedKeyPair generate(Path prefix, byte[] passphrase) throws BootjException {
    Path privateFile = prefix.resolveSibling(prefix.getFileName() + ".key");
    Path publicFile = prefix.resolveSibling(prefix.getFileName() + ".pub");
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new BootjException(BootjException.Kind.SYSTEM, file
            + " already exists; bootj never overwrites a key: move it away or choose another name");
      }
    }
    Path directory = privateFile.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot write " + privateFile + ": directory " + directory
          + " does not exist");
    }

    KeyPair pair = newP256KeyPair();
    String privatePem = CosignKeyFile.encode(pair, passphrase);
    String publicPem = CosignKeyFile.pem("PUBLIC KEY", pair.getPublic().getEncoded());

    writeNew(privateFile, privatePem, "rw-------");
    try {
      writeNew(publicFile, publicPem, "rw-r--r--");
    } catch (BootjException e) {
      try {
        Files.deleteIfExists(privateFile);
      } catch (IOException ignored) {
        // The original failure is the one to report; the user sees the stray file by its name.
      }
      throw e;
    }
    return new GeneratedKeyPair(privateFile, publicFile, fingerprint(pair.getPublic()));
  }

  /** The lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo, as {@code bootj status} shows it. */
  public static String fingerprint(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private KeyPair newP256KeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make P-256 keys", e);
    }
  }

  /**
   * Creates {@code file} (failing if it exists, even as a dangling link) with {@code permissions}
   * from the start, so the private key is never readable by others, not even for a moment.
   */
  private static void writeNew(Path file, String content, String permissions) throws BootjException {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (FileChannel channel = FileChannel.open(file, options,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)))) {
      ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, file
          + " already exists; bootj never overwrites a key: move it away or choose another name", e);
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot write " + file + ": its directory does not exist",
          e);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot write " + file + ": " + e.getMessage(), e);
    }
    try {
      AtomicFile.syncDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot sync the directory of " + file + ": "
          + e.getMessage(), e);
    }
  }
}
