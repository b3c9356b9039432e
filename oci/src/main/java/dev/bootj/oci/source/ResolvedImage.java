package dev.bootj.oci.source;

import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;

/**
 * A reference resolved to one image: the digest of its manifest (verified), the manifest, the
 * platform it was chosen for from an index and that index's digest (both null when the reference
 * named a manifest directly).
 */
public record ResolvedImage(Digest manifestDigest, ImageManifest manifest, Platform selectedPlatform, Digest indexDigest) {

  /**
   * What the reference itself names, and so what a signature of it covers: the index when it
   * names one (cosign and containers/image sign and verify the top-level manifest), else the manifest.
   */
  public Digest signedDigest() {
    return indexDigest != null ? indexDigest : manifestDigest;
  }
}
