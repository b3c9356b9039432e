package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.RegistryReference;

/**
 * Where an image's signatures come from: the lookaside and the registry's sigstore attachments
 * that containers-registries.d(5) names for the image's repository. Asked only when a
 * requirement needs signatures, so a policy of {@code insecureAcceptAnything} costs no request.
 */
public interface SignatureSource {

  /**
   * The signatures of the image {@code manifestDigest} in {@code image}'s repository; empty
   * lists when there are none. Fails only when they cannot be read (an unreachable lookaside, a
   * malformed {@code .sig} manifest, more signatures than bootj reads).
   */
  ImageSignatures signaturesOf(RegistryReference image, Digest manifestDigest) throws BootjException;
}
