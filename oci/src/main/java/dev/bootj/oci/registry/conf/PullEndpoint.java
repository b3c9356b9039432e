package dev.bootj.oci.registry.conf;

import dev.bootj.oci.reference.RegistryReference;

/**
 * One place to pull an image from.
 *
 * @param reference the image at that place (same tag or digest, the location's host and path)
 * @param insecure plain HTTP and unverified TLS are allowed there
 * @param mirror whether it is a mirror (else the primary location)
 */
public record PullEndpoint(RegistryReference reference, boolean insecure, boolean mirror) {}
