package dev.bootj.oci.trust.simplesigning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.InvalidKeyException;
import java.util.Properties;

/** The committed fixtures that generate.sh made with gpg and skopeo, read from the test class path. */
public final class SimpleSigningFixtures {

  private static final Properties PROPERTIES = new Properties();

  static {
    try (InputStream in = open("fixtures.properties")) {
      PROPERTIES.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SimpleSigningFixtures() {}

  /** A value of fixtures.properties: {@code digest}, {@code rsa}, {@code ed25519}, ... */
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

  public static OpenPgpKeyring keyring(String file) {
    try {
      return OpenPgpKeyring.parse(bytes(file));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(file, e);
    }
  }

  private static InputStream open(String file) {
    InputStream in = SimpleSigningFixtures.class.getResourceAsStream(file);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + file + "; run generate.sh beside the fixtures");
    }
    return in;
  }
}
