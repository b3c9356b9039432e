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

  public InspectedImage inspect(ImageReference reference, PullPolicy policy) throws IOException {
    try (StoreLock lock = store.lock(false);
        ImageResolver.Resolution r = new ImageResolver(store, options, ProgressListener.NONE).resolve(reference, policy, false)) {
      return new InspectedImage(r.reference(), r.manifestDigest(), r.manifest(), r.config(), r.platform(), r.indexDigest());
    }
  }
}
