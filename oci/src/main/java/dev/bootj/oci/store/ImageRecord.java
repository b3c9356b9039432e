package dev.bootj.oci.store;

import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store knows about one pulled reference: which manifest it resolved to, for which
 * platform, and when. Its config and layers are blobs in the store; prune keeps exactly those.
 */
public record ImageRecord(
    String reference, Digest manifestDigest, ImageManifest manifest, Platform platform, Instant pulledAt,
    Digest indexDigest) {

  /** What a signature of the reference covers: the index it named, else the manifest. */
  public Digest signedDigest() {
    return indexDigest != null ? indexDigest : manifestDigest;
  }

  /** Every blob this image needs, config first. */
  public List<Digest> blobs() {
    List<Digest> blobs = new ArrayList<>();
    blobs.add(manifest.config().digest());
    manifest.layers().forEach(l -> blobs.add(l.digest()));
    return blobs;
  }
}
