package dev.bootj.system.model;

import java.util.Objects;

/**
 * Which image a slot holds, as bootj records it: the reference the user gave, the manifest digest
 * it resolved to ({@code sha256:...}), and the image's version label (may be null).
 */
public record ImageIdentity(String reference, String manifestDigest, String version) {

  /** The image config label bootj reads the version from (the OCI annotation's name). */
  public static final String VERSION_LABEL = "org.opencontainers.image.version";

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
