package dev.bootj.oci.trust.sigstore;

import dev.bootj.oci.testing.CommittedFixtures;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;

/** The committed fixtures that generate.sh made with openssl and python3-cryptography. */
public final class SigstoreFixtures {

  private static final CommittedFixtures FIXTURES = new CommittedFixtures(SigstoreFixtures.class);

  private SigstoreFixtures() {}

  /** A value of fixtures.properties. */
  public static String property(String name) {
    return FIXTURES.property(name);
  }

  public static byte[] bytes(String file) {
    return FIXTURES.bytes(file);
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
}
