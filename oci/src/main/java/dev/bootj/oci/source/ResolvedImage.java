package dev.bootj.oci.source;

import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;

/**
 * A reference resolved to one image: the digest of its manifest (verified), the manifest, and the
 * platform it was chosen for from an index (null when the reference named a manifest directly).
 */
public record ResolvedImage(Digest manifestDigest, ImageManifest manifest, Platform selectedPlatform) {}
