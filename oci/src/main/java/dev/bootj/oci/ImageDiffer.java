package dev.bootj.oci;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.tree.ImageDiff;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.unpack.Compression;
import dev.bootj.oci.unpack.LayerListing;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bootj image diff}: what an image adds, changes and deletes relative to another image, or
 * to its own layers below the top one, as {@code podman image diff} reports it. Both images are
 * pulled first (layers missing from the store only, each under the signature policy); then their
 * layers are read from the store, each once, without unpacking anything.
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
      Map<Digest, List<LayerListing.Entry>> listings = new HashMap<>();
      List<Descriptor> imageLayers = pulledImage.manifest().layers();
      List<Descriptor> baseLayers = pulledBase == null
          ? imageLayers.subList(0, Math.max(0, imageLayers.size() - 1))
          : pulledBase.manifest().layers();
      ImageTree imageTree = ImageTree.of(listings(imageLayers, listings));
      ImageTree baseTree = ImageTree.of(listings(baseLayers, listings));
      return new Result(pulledImage, pulledBase, ImageDiff.between(imageTree, baseTree));
    }
  }

  private List<List<LayerListing.Entry>> listings(List<Descriptor> layers, Map<Digest, List<LayerListing.Entry>> read)
      throws IOException {
    List<List<LayerListing.Entry>> result = new ArrayList<>();
    for (Descriptor layer : layers) {
      List<LayerListing.Entry> listing = read.get(layer.digest());
      if (listing == null) {
        Compression compression = Compression.fromMediaType(layer.mediaType());
        try (InputStream blob = new BufferedInputStream(Files.newInputStream(store.blobPath(layer.digest())), 1 << 20);
            InputStream tar = compression.decompress(blob)) {
          listing = LayerListing.read(tar);
        }
        read.put(layer.digest(), listing);
      }
      result.add(listing);
    }
    return result;
  }
}
