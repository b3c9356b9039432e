package dev.bootj.oci;

import dev.bootj.oci.manifest.ImageConfig;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.trust.PolicyAcceptance;

/**
 * An image whose config and layers are all in the store.
 *
 * @param reference the reference as normalised (e.g. {@code docker.io/library/debian:12})
 * @param downloadedBytes blob bytes fetched by this operation (0 when everything was stored)
 * @param acceptance how the signature policy accepted the image, checked before any layer was fetched
 */
public record PulledImage(
    String reference,
    Digest manifestDigest,
    ImageManifest manifest,
    ImageConfig config,
    Platform platform,
    long downloadedBytes,
    int layersDownloaded,
    PolicyAcceptance acceptance) {}
