package dev.bootj.oci;

import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StoreLock;
import java.io.IOException;

/** Resolves an image and reads its config, fetching no layers. */
public final class ImageInspector {

  private final BlobStore store;
  private final PullOptions options;

  public ImageInspector(BlobStore store, PullOptions options) {
    this.store = store;
    this.options = options;
  }

  /** Metadata only, as {@code skopeo inspect}: the signature policy is not checked. */
  public InspectedImage inspect(ImageReference reference, PullPolicy policy) throws IOException {
    return inspect(reference, policy, false);
  }

  /**
   * The same, after the signature policy accepted the image, checked before its config is
   * stored: what an update does first, so that a refused image leaves nothing behind and is
   * refused as untrusted before any other check (free space) can refuse it for another reason.
   *
   * @throws ImageRefusedException when the policy refuses it (it names the manifest refused)
   */
  public InspectedImage inspectTrusted(ImageReference reference, PullPolicy policy) throws IOException {
    return inspect(reference, policy, true);
  }

  private InspectedImage inspect(ImageReference reference, PullPolicy policy, boolean verify) throws IOException {
    try (StoreLock lock = store.lock(false);
        ImageResolver.Resolution r = new ImageResolver(store, options, ProgressListener.NONE).resolve(reference, policy, verify)) {
      return new InspectedImage(r.reference(), r.manifestDigest(), r.manifest(), r.config(), r.platform(), r.indexDigest(),
          r.acceptance());
    }
  }
}
