package dev.bootj.oci;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.pull.BackgroundTasks;
import dev.bootj.oci.pull.LayerPipeline;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.BlobWriter;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.tree.StoredListings;
import dev.bootj.oci.unpack.Compression;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.LayerStats;
import dev.bootj.oci.unpack.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Unpacks an image into an empty directory. A layer already in the store is read from it; a missing
 * one is downloaded, hashed, stored and unpacked in a single pass ({@link LayerPipeline}: download,
 * decompression and unpacking each on their own thread). A layer's digest is known only at its end: if it does
 * not match, or anything else fails, the directory is emptied again, so a half-made or unverified
 * root is never left behind as if it were good.
 *
 * <p>Each layer whose listing the store lacks is listed while it is unpacked and the listing saved
 * beside the blob ({@link StoredListings}): an update of what was unpacked then compares listings
 * instead of reading every layer again.
 */
public final class ImageUnpacker {

  private static final int READ_BUFFER = 256 * 1024;

  private final BlobStore store;
  private final PullOptions options;
  private final ProgressListener progress;
  private final StoredListings listings;

  public ImageUnpacker(BlobStore store, PullOptions options, ProgressListener progress) {
    this.store = store;
    this.listings = new StoredListings(store);
    this.options = options;
    this.progress = progress;
  }

  public UnpackedImage unpack(ImageReference reference, Path target, PullPolicy policy) throws IOException {
    boolean created = prepareEmpty(target);
    boolean done = false;
    try (StoreLock lock = store.lock(false);
        ImageResolver.Resolution resolution = new ImageResolver(store, options, progress).resolve(reference, policy, true)) {
      LayerUnpacker unpacker = new LayerUnpacker(target, progress::warning);
      List<Descriptor> layers = resolution.manifest().layers();
      long downloaded = 0;
      int downloadedLayers = 0;
      long entries = 0;
      long bytes = 0;
      ExecutorService stages = BackgroundTasks.pool("bootj-unpack", 2);
      ExecutorService downloads = BackgroundTasks.pool("bootj-download", ImagePuller.PARALLEL_DOWNLOADS - 1);
      LayerPipeline pipeline = new LayerPipeline(stages);
      try {
        boolean[] stored = resolution.storedLayers(store, progress);
        Map<Integer, Future<Long>> prefetched = prefetch(downloads, resolution, stored);
        for (int i = 0; i < layers.size(); i++) {
          Descriptor layer = layers.get(i);
          LayerStats stats;
          if (stored[i]) {
            stats = applyStored(pipeline, unpacker, layer, i, true);
          } else if (prefetched.containsKey(i)) {
            downloaded += BackgroundTasks.await(prefetched.get(i));
            downloadedLayers++;
            stats = applyStored(pipeline, unpacker, layer, i, false);
          } else {
            stats = applyStreaming(pipeline, unpacker, resolution.source(), layer, i, resolution.reference());
            downloaded += layer.size();
            downloadedLayers++;
          }
          entries += stats.entries();
          bytes += stats.bytesWritten();
          progress.layerFinished(i);
        }
      } finally {
        stages.shutdownNow();
        downloads.shutdownNow();
      }
      PulledImage image = resolution.finish(store, downloaded, downloadedLayers);
      done = true;
      return new UnpackedImage(image, target, entries, bytes);
    } finally {
      progress.finished();
      if (!done) {
        clear(target, created);
      }
    }
  }

  /**
   * Starts downloading every missing layer after the first missing one into the store, so that
   * while one layer streams through the unpacker the next ones are already on their way.
   */
  private Map<Integer, Future<Long>> prefetch(ExecutorService downloads, ImageResolver.Resolution resolution, boolean[] stored) {
    Map<Integer, Future<Long>> prefetched = new HashMap<>();
    LayerDownloader downloader = new LayerDownloader(store, progress);
    List<Descriptor> layers = resolution.manifest().layers();
    boolean firstMissingSeen = false;
    for (int i = 0; i < layers.size(); i++) {
      if (stored[i]) {
        continue;
      }
      if (!firstMissingSeen) {
        firstMissingSeen = true; // this one streams
        continue;
      }
      int index = i;
      prefetched.put(i, downloads.submit(() -> downloader.download(resolution.source(), layers.get(index), index, resolution.reference())));
    }
    return prefetched;
  }

  private LayerStats applyStored(LayerPipeline pipeline, LayerUnpacker unpacker, Descriptor layer, int index,
      boolean reportBytes) throws IOException {
    List<LayerListing.Entry> listing = listingWanted(layer);
    LayerStats stats = pipeline.run("layer " + layer.digest().shortHex(), Compression.fromMediaType(layer.mediaType()), compressed -> {
      try (InputStream in = Files.newInputStream(store.blobPath(layer.digest()))) {
        byte[] buffer = new byte[READ_BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          compressed.write(buffer, 0, n);
          if (reportBytes) {
            progress.layerBytes(index, n);
          }
        }
      }
    }, tar -> unpacker.apply(tar, listing));
    saveListing(layer, listing);
    return stats;
  }

  /** An empty list to collect {@code layer}'s listing in, or null when the store has it already. */
  private List<LayerListing.Entry> listingWanted(Descriptor layer) {
    return listings.isCached(layer) ? null : new ArrayList<>();
  }

  private void saveListing(Descriptor layer, List<LayerListing.Entry> listing) throws IOException {
    if (listing != null) {
      listings.save(layer, listing);
    }
  }

  private LayerStats applyStreaming(LayerPipeline pipeline, LayerUnpacker unpacker, ImageSource source, Descriptor layer,
      int index, String reference) throws IOException {
    String what = "layer " + layer.digest().shortHex() + " of " + reference;
    try (BlobWriter writer = store.newWriter(layer.digest(), layer.size(), what)) {
      List<LayerListing.Entry> listing = listingWanted(layer);
      IOException[] sealFailure = {null};
      LayerStats stats;
      try {
        stats = pipeline.run(what, Compression.fromMediaType(layer.mediaType()), compressed -> {
          source.fetch(layer, new StoreAndUnpack(writer, compressed), n -> progress.layerBytes(index, n));
          try {
            // Verify and fsync now, while the unpacker is still working through the last blocks.
            writer.seal();
          } catch (IOException e) {
            sealFailure[0] = e;
            throw e;
          }
        }, tar -> unpacker.apply(tar, listing));
      } catch (IOException e) {
        // Bytes that do not match their digest explain any odd content: report that first.
        throw sealFailure[0] != null ? sealFailure[0] : e;
      }
      // Only now is the layer both verified and unpacked: publish it. On any failure above the
      // unpack is abandoned and the root cleared.
      writer.commit();
      saveListing(layer, listing);
      return stats;
    }
  }

  /**
   * Writes each downloaded block to the store and to the unpacker. When the unpacker has failed,
   * the download still runs to its end, so that a corrupt transfer is told apart from a bad layer.
   */
  private static final class StoreAndUnpack extends OutputStream {
    private final BlobWriter writer;
    private final OutputStream unpacker;
    private boolean unpackerFailed;

    StoreAndUnpack(BlobWriter writer, OutputStream unpacker) {
      this.writer = writer;
      this.unpacker = unpacker;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writer.write(b, off, len);
      if (!unpackerFailed) {
        try {
          unpacker.write(b, off, len);
        } catch (IOException e) {
          unpackerFailed = true;
        }
      }
    }
  }

  /** Makes sure {@code target} is an empty directory; returns whether it had to be created. */
  private static boolean prepareEmpty(Path target) throws IOException {
    if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> children = Files.list(target)) {
        if (children.findAny().isPresent()) {
          throw new BootjException(BootjException.Kind.SYSTEM,
              target + " is not empty; unpack into an empty or new directory");
        }
      }
      return false;
    }
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new BootjException(BootjException.Kind.SYSTEM, target + " exists and is not a directory");
    }
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot create " + target + ": " + e.getMessage(), e);
    }
    return true;
  }

  /** Removes what a failed unpack left; never follows a symlink out of the tree. */
  private static void clear(Path target, boolean removeTarget) {
    try {
      SubtreeDeleter deleter = SubtreeDeleter.forThisProcess();
      if (removeTarget) {
        deleter.delete(target);
      } else {
        try (Stream<Path> children = Files.list(target)) {
          for (Path child : children.toList()) {
            deleter.delete(child);
          }
        }
      }
    } catch (IOException ignored) {
      // best effort: the original failure is what the user needs to see
    }
  }
}
