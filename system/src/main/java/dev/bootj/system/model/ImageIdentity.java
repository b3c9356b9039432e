package dev.bootj.system.model;

import dev.bootj.oci.trust.PolicyAcceptance;
import java.util.Objects;

/**
 * Which image a slot holds, as bootj records it: the reference the user gave, the manifest digest
 * it resolved to ({@code sha256:...}), the image's version label (may be null), and how the
 * signature policy accepted it (null when unknown).
 */
public record ImageIdentity(String reference, String manifestDigest, String version, PolicyAcceptance signature) {

  /** The image config label bootj reads the version from (the OCI annotation's name). */
  public static final String VERSION_LABEL = "org.opencontainers.image.version";

  /** An image whose signature check is not known (tests, records from before bootj checked signatures). */
  public ImageIdentity(String reference, String manifestDigest, String version) {
    this(reference, manifestDigest, version, null);
  }

  public ImageIdentity {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
  }

  /** The first 12 hex digits of the digest, as shown in boot menu titles. */
  public String shortDigest() {
    String hex = manifestDigest.contains(":") ? manifestDigest.substring(manifestDigest.indexOf(':') + 1) : manifestDigest;
    return hex.substring(0, Math.min(12, hex.length()));
  }
}
