package dev.bootj.oci;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.tree.ImageDiff;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.StoredListings;
import java.io.IOException;
import java.util.List;

/**
 * {@code bootj image diff}: what an image adds, changes and deletes relative to another image, or
 * to its own layers below the top one, as {@code podman image diff} reports it. Both images are
 * pulled first (layers missing from the store only, each under the signature policy); then their
 * layers' listings are read from the store ({@link StoredListings}), without unpacking anything.
 */
public final class ImageDiffer {

  /**
   * @param base the image compared against; null when the base is the image without its top layer
   */
  public record Result(PulledImage image, PulledImage base, ImageDiff diff) {}

  private final BlobStore store;
  private final PullOptions options;
  private final ProgressListener progress;

  public ImageDiffer(BlobStore store, PullOptions options, ProgressListener progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
  }

  /** Compares {@code image} with {@code base}, or with its parent layers when {@code base} is null. */
  public Result diff(ImageReference image, ImageReference base, PullPolicy policy) throws IOException {
    ImagePuller puller = new ImagePuller(store, options, progress);
    PulledImage pulledImage = puller.pull(image, policy);
    PulledImage pulledBase = base == null ? null : puller.pull(base, policy);
    try (StoreLock lock = store.lock(false)) {
      List<Descriptor> imageLayers = pulledImage.manifest().layers();
      List<Descriptor> baseLayers = pulledBase == null
          ? imageLayers.subList(0, Math.max(0, imageLayers.size() - 1))
          : pulledBase.manifest().layers();
      StoredListings listings = new StoredListings(store);
      ImageTree imageTree = listings.tree(imageLayers);
      ImageTree baseTree = listings.tree(baseLayers);
      if (imageTree == null || baseTree == null) {
        throw new BootjException(BootjException.Kind.SYSTEM, "a layer of " + image + " or its base vanished from the"
            + " store " + store.root() + " while it was compared (a concurrent 'bootj image prune'?); run this again");
      }
      return new Result(pulledImage, pulledBase, ImageDiff.between(imageTree, baseTree));
    }
  }
}
