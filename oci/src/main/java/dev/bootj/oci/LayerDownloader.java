package dev.bootj.oci;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.BlobWriter;
import java.io.IOException;

/** Downloads one layer into the store, verified, reporting its bytes as they arrive. */
final class LayerDownloader {

  private final BlobStore store;
  private final ProgressListener progress;

  LayerDownloader(BlobStore store, ProgressListener progress) {
    this.store = store;
    this.progress = progress;
  }

  /** @return the bytes downloaded */
  long download(ImageSource source, Descriptor layer, int index, String reference) throws IOException {
    try (BlobWriter writer = store.newWriter(layer.digest(), layer.size(), "layer " + layer.digest().shortHex() + " of " + reference)) {
      source.fetch(layer, writer, n -> progress.layerBytes(index, n));
      writer.commit();
      return writer.size();
    }
  }
}
