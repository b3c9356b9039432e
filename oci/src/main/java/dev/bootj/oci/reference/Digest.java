package dev.bootj.oci.reference;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A content digest, {@code sha256:<64 lowercase hex>}; the only algorithm OCI images use in practice. */
public final class Digest implements Comparable<Digest> {

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private final String value;

  private Digest(String value) {
    this.value = value;
  }

  /** Parses {@code sha256:<hex>}; anything else is an {@link IllegalArgumentException}. */
  public static Digest parse(String text) {
    if (text == null || !SHA256.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a digest; expected sha256: followed by 64 lowercase hex digits");
    }
    return new Digest(text);
  }

  public static Digest ofSha256(byte[] hash) {
    return new Digest("sha256:" + HexFormat.of().formatHex(hash));
  }

  public static Digest of(byte[] content) {
    return ofSha256(newSha256().digest(content));
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public String algorithm() {
    return "sha256";
  }

  /** The 64 hex digits. */
  public String hex() {
    return value.substring(7);
  }

  /** The first 12 hex digits, as docker and podman print them. */
  public String shortHex() {
    return hex().substring(0, 12);
  }

  @Override
  public String toString() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest && ((Digest) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public int compareTo(Digest o) {
    return value.compareTo(o.value);
  }
}
