package dev.bootj.oci.trust;

/**
 * One layer of a cosign signature manifest (the {@code sha256-<hex>.sig} tag): the payload blob
 * and the base64 signature from its {@code dev.cosignproject.cosign/signature} annotation.
 * Unverified.
 *
 * @param payload the layer's bytes (media type {@code application/vnd.dev.cosign.simplesigning.v1+json})
 * @param base64Signature the annotation's value, not yet decoded
 */
public record CosignSignature(byte[] payload, String base64Signature) {

  public CosignSignature {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
