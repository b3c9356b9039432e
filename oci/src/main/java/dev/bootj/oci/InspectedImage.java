package dev.bootj.oci;

import dev.bootj.oci.manifest.ImageConfig;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;

/** What an image is, without its layers: its manifest, config and platform. */
public record InspectedImage(
    String reference, Digest manifestDigest, ImageManifest manifest, ImageConfig config, Platform platform) {}
