package dev.bootj.oci.trust;

import java.util.List;

/**
 * The signatures stored for one image (one manifest digest), as found and before any check:
 * nothing in here is trusted until a requirement has verified it.
 *
 * @param simpleSigning OpenPGP simple-signing signatures from the lookaside
 *     ({@code signature-1}, {@code signature-2}, ...), each the raw bytes of one file
 * @param cosign the layers of the image's cosign {@code sha256-<hex>.sig} manifest
 */
public record ImageSignatures(List<byte[]> simpleSigning, List<CosignSignature> cosign) {

  public static final ImageSignatures NONE = new ImageSignatures(List.of(), List.of());

  public ImageSignatures {
    simpleSigning = List.copyOf(simpleSigning);
    cosign = List.copyOf(cosign);
  }
}
