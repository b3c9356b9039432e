package dev.bootj.oci.registry;

import dev.bootj.oci.reference.Digest;

/**
 * A manifest exactly as a registry sent it: the bytes its digest is computed over, and the
 * Content-Type the registry named it with.
 *
 * @param body the bytes, at most {@link ManifestFetcher#MAX_MANIFEST_BYTES}
 * @param contentType the Content-Type header as sent (parameters included), or null
 */
public record RawManifest(byte[] body, String contentType) {

  public RawManifest {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The SHA-256 digest of the bytes as sent. */
  public Digest digest() {
    return Digest.of(body);
  }
}
