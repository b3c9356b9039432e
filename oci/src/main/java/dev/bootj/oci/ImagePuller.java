package dev.bootj.oci;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.pull.BackgroundTasks;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StoreLock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Brings an image into the blob store: resolves the reference, then fetches the config and every
 * layer the store does not have yet, a few at a time, each verified against its digest.
 */
public final class ImagePuller {

  static final int PARALLEL_DOWNLOADS = 3;

  private final BlobStore store;
  private final PullOptions options;
  private final ProgressListener progress;

  public ImagePuller(BlobStore store, PullOptions options, ProgressListener progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
  }

  /** Pulls {@code reference}; with {@link PullPolicy#MISSING} a stored image is used as it is. */
  public PulledImage pull(ImageReference reference, PullPolicy policy) throws IOException {
    try {
      return pullLocked(reference, policy);
    } finally {
      progress.finished();
    }
  }

  private PulledImage pullLocked(ImageReference reference, PullPolicy policy) throws IOException {
    try (StoreLock lock = store.lock(false);
        ImageResolver.Resolution resolution = new ImageResolver(store, options, progress).resolve(reference, policy, true)) {
      List<Descriptor> layers = resolution.manifest().layers();
      boolean[] stored = resolution.storedLayers(store, progress);
      long downloaded = 0;
      int downloadedLayers = 0;
      List<Future<Long>> downloads = new ArrayList<>();
      LayerDownloader downloader = new LayerDownloader(store, progress);
      ExecutorService pool = BackgroundTasks.pool("bootj-download", PARALLEL_DOWNLOADS);
      try {
        for (int i = 0; i < layers.size(); i++) {
          if (stored[i]) {
            progress.layerFinished(i);
            continue;
          }
          Descriptor layer = layers.get(i);
          int index = i;
          downloads.add(pool.submit(() -> {
            long bytes = downloader.download(resolution.source(), layer, index, resolution.reference());
            progress.layerFinished(index);
            return bytes;
          }));
        }
        for (Future<Long> download : downloads) {
          downloaded += BackgroundTasks.await(download);
          downloadedLayers++;
        }
      } finally {
        pool.shutdownNow();
      }
      return resolution.finish(store, downloaded, downloadedLayers);
    }
  }
}
