package dev.bootj.oci;

import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.registry.RegistryCredentials;

/**
 * How to reach images.
 *
 * @param platform which image to take from a multi-platform index
 * @param platformExplicit whether the user chose the platform (then a single-platform image for
 *     another platform is accepted)
 * @param tlsVerify false allows plain HTTP and unverified certificates for every registry
 * @param credentials where registry credentials come from
 */
public record PullOptions(Platform platform, boolean platformExplicit, boolean tlsVerify, RegistryCredentials credentials) {}
