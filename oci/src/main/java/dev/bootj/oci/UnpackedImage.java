package dev.bootj.oci;

import java.nio.file.Path;

/**
 * An image unpacked into a root directory.
 *
 * @param entries tar entries applied across all layers
 * @param unpackedBytes bytes of file content written
 */
public record UnpackedImage(PulledImage image, Path root, long entries, long unpackedBytes) {}
