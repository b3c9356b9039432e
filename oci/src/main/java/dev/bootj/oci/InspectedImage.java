package dev.bootj.oci;

import dev.bootj.oci.manifest.ImageConfig;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.trust.PolicyAcceptance;

/**
 * What an image is, without its layers: its manifest, config and platform, and the index it was
 * chosen from (null when the reference named a manifest).
 */
public record InspectedImage(
    String reference, Digest manifestDigest, ImageManifest manifest, ImageConfig config, Platform platform,
    Digest indexDigest, PolicyAcceptance acceptance) {

  /** What a signature of the reference covers: the index it named, else the manifest. */
  public Digest signedDigest() {
    return indexDigest != null ? indexDigest : manifestDigest;
  }
}
