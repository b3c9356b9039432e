package dev.bootj.oci.trust.sigstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.Properties;

/** The committed fixtures that generate.sh made with openssl and python3-cryptography. */
public final class SigstoreFixtures {

  private static final Properties PROPERTIES = new Properties();

  static {
    try (InputStream in = open("fixtures.properties")) {
      PROPERTIES.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SigstoreFixtures() {}

  /** A value of fixtures.properties: {@code digest}, {@code ecdsa}, {@code rsa}, ... */
  public static String property(String name) {
    String value = PROPERTIES.getProperty(name);
    if (value == null) {
      throw new IllegalArgumentException("fixtures.properties has no " + name);
    }
    return value;
  }

  public static byte[] bytes(String file) {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code .sig.b64} file's content: the annotation value. */
  public static String text(String file) {
    return new String(bytes(file), StandardCharsets.US_ASCII).strip();
  }

  public static SigstorePublicKey key(String file) {
    try {
      return SigstorePublicKey.parsePem(bytes(file));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(file, e);
    }
  }

  private static InputStream open(String file) {
    InputStream in = SigstoreFixtures.class.getResourceAsStream(file);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + file + "; run generate.sh beside the fixtures");
    }
    return in;
  }
}
