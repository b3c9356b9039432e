package dev.bootj.oci.registry.conf;

import dev.bootj.oci.reference.RegistryReference;

/** One {@code [[registry.mirror]]} table. */
public record Mirror(String location, boolean insecure, PullFrom pullFrom) {

  /** {@code pull-from-mirror}: which references the mirror serves. */
  public enum PullFrom { ALL, DIGEST_ONLY, TAG_ONLY }

  /**
   * Whether this mirror is tried for {@code image}. A tag read from a mirror is only as current
   * as the mirror, which is why {@code mirror-by-digest-only} and {@code digest-only} exist.
   */
  boolean appliesTo(RegistryReference image, boolean registryDigestOnly) {
    boolean byDigest = image.digest() != null;
    return switch (pullFrom) {
      case DIGEST_ONLY -> byDigest;
      case TAG_ONLY -> !byDigest;
      case ALL -> byDigest || !registryDigestOnly;
    };
  }
}
