package dev.bootj.oci;

import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.trust.PolicyAcceptance;
import java.io.IOException;

/**
 * {@code bootj image verify}: resolves an image and checks it against the signature policy, as
 * a pull would, without fetching a layer. Returns how it was accepted; a refusal is the same
 * one-line UNTRUSTED error a pull would give.
 */
public final class ImageVerifier {

  /** An accepted image: the digest the signatures cover and how each requirement was met. */
  public record Verified(String reference, Digest signedDigest, String policy, PolicyAcceptance acceptance) {}

  private final BlobStore store;
  private final PullOptions options;

  public ImageVerifier(BlobStore store, PullOptions options) {
    this.store = store;
    this.options = options;
  }

  public Verified verify(ImageReference image) throws IOException {
    InspectedImage inspected = new ImageInspector(store, options).inspect(image, PullPolicy.ALWAYS);
    PolicyAcceptance acceptance = options.trust().check(image, inspected.signedDigest(), options.tlsVerifyFor(image),
        options.credentials());
    return new Verified(inspected.reference(), inspected.signedDigest(), options.trust().toString(), acceptance);
  }
}
