package dev.bootj.oci.trust.simplesigning;

import dev.bootj.oci.testing.CommittedFixtures;
import java.security.InvalidKeyException;

/** The committed fixtures that generate.sh made with gpg and skopeo, read from the test class path. */
public final class SimpleSigningFixtures {

  private static final CommittedFixtures FIXTURES = new CommittedFixtures(SimpleSigningFixtures.class);

  private SimpleSigningFixtures() {}

  /** A value of fixtures.properties. */
  public static String property(String name) {
    return FIXTURES.property(name);
  }

  public static byte[] bytes(String file) {
    return FIXTURES.bytes(file);
  }

  public static OpenPgpKeyring keyring(String file) {
    try {
      return OpenPgpKeyring.parse(bytes(file));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(file, e);
    }
  }
}
