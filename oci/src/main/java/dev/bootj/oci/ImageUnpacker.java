package dev.bootj.oci;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.pull.BlockPipe;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.BlobWriter;
import dev.bootj.oci.store.ImageRecord;
import dev.bootj.oci.store.ImageRecords;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.unpack.Compression;
import dev.bootj.oci.unpack.LayerStats;
import dev.bootj.oci.unpack.LayerUnpacker;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Unpacks an image into an empty directory. A layer already in the store is read from it; a missing
 * one is downloaded, hashed, stored and unpacked in a single pass, the download on one thread and
 * decompression and unpacking on another. A layer's digest is known only at its end: if it does
 * not match, or anything else fails, the directory is emptied again, so a half-made or unverified
 * root is never left behind as if it were good.
 */
public final class ImageUnpacker {

  private static final int PIPE_BLOCKS = 16;
  private static final int PIPE_BLOCK_SIZE = 256 * 1024;
  private static final int READ_BUFFER = 256 * 1024;

  private final BlobStore store;
  private final PullOptions options;
  private final ProgressListener progress;

  public ImageUnpacker(BlobStore store, PullOptions options, ProgressListener progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
  }

  public UnpackedImage unpack(ImageReference reference, Path target, PullPolicy policy) throws IOException {
    boolean created = prepareEmpty(target);
    boolean done = false;
    try (StoreLock lock = store.lock(false);
        ImageResolver.Resolution resolution = new ImageResolver(store, options).resolve(reference, policy)) {
      LayerUnpacker unpacker = new LayerUnpacker(target, progress::warning);
      List<Descriptor> layers = resolution.manifest().layers();
      long downloaded = 0;
      int downloadedLayers = 0;
      long entries = 0;
      long bytes = 0;
      ExecutorService unpackThread = Executors.newSingleThreadExecutor(ImagePuller.daemon("bootj-unpack"));
      try {
        for (int i = 0; i < layers.size(); i++) {
          Descriptor layer = layers.get(i);
          boolean stored = store.contains(layer.digest());
          progress.layerStarted(i, layers.size(), layer, stored);
          LayerStats stats;
          if (stored) {
            stats = applyStored(unpacker, layer, i);
          } else {
            if (resolution.source() == null) {
              throw new BootjException(BootjException.Kind.SYSTEM, "layer " + layer.digest() + " of "
                  + resolution.reference() + " is missing from the store; run with --pull=always");
            }
            stats = applyStreaming(unpacker, resolution.source(), layer, i, resolution.reference(), unpackThread);
            downloaded += layer.size();
            downloadedLayers++;
          }
          entries += stats.entries();
          bytes += stats.bytesWritten();
          progress.layerFinished(i);
        }
      } finally {
        unpackThread.shutdownNow();
      }
      if (resolution.source() != null) {
        ImageRecords.of(store).save(new ImageRecord(resolution.reference(), resolution.manifestDigest(),
            resolution.manifest(), resolution.platform(), Instant.now()));
      }
      PulledImage image = new PulledImage(resolution.reference(), resolution.manifestDigest(), resolution.manifest(),
          resolution.config(), resolution.platform(), downloaded, downloadedLayers);
      done = true;
      return new UnpackedImage(image, target, entries, bytes);
    } finally {
      if (!done) {
        clear(target, created);
      }
    }
  }

  private LayerStats applyStored(LayerUnpacker unpacker, Descriptor layer, int index) throws IOException {
    Compression compression = Compression.fromMediaType(layer.mediaType());
    try (InputStream raw = new CountingInputStream(Files.newInputStream(store.blobPath(layer.digest())), index);
        InputStream tar = compression.decompress(raw)) {
      LayerStats stats = unpacker.apply(tar);
      drain(tar);
      return stats;
    }
  }

  private LayerStats applyStreaming(LayerUnpacker unpacker, ImageSource source, Descriptor layer, int index,
      String reference, ExecutorService unpackThread) throws IOException {
    Compression compression = Compression.fromMediaType(layer.mediaType());
    BlockPipe pipe = new BlockPipe(PIPE_BLOCKS, PIPE_BLOCK_SIZE);
    try (BlobWriter writer = store.newWriter(layer.digest(), layer.size(), "layer " + layer.digest().shortHex() + " of " + reference)) {
      Future<LayerStats> unpacking = unpackThread.submit(() -> {
        InputStream raw = pipe.source();
        try (InputStream tar = compression.decompress(raw)) {
          LayerStats stats = unpacker.apply(tar);
          // Read to the very end so the download is never left blocked on a full pipe.
          drain(tar);
          drain(raw);
          return stats;
        } catch (IOException | RuntimeException e) {
          pipe.fail(e instanceof IOException io ? io : new IOException(e));
          throw e;
        }
      });
      OutputStream toPipe = pipe.sink();
      OutputStream tee = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          writer.write(b, off, len);
          toPipe.write(b, off, len);
        }
      };
      try {
        source.fetch(layer, tee, n -> progress.layerBytes(index, n));
        toPipe.close();
      } catch (IOException | RuntimeException e) {
        pipe.fail(e instanceof IOException io ? io : new IOException(e));
        // When unpacking failed first, that is the error worth reporting, not the broken pipe.
        ImagePuller.await(unpacking);
        throw e;
      }
      LayerStats stats = ImagePuller.await(unpacking);
      writer.commit();
      return stats;
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (in.read(buffer) >= 0) {
      // discard
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
      Files.walkFileTree(target, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (!dir.equals(target) || removeTarget) {
            try {
              Files.delete(dir);
            } catch (DirectoryNotEmptyException ignored) {
              // leave it; the error that brought us here is the one to report
            }
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // best effort: the original failure is what the user needs to see
    }
  }

  /** Reports bytes read from the store as progress, like a download. */
  private final class CountingInputStream extends FilterInputStream {
    private final int index;

    CountingInputStream(InputStream in, int index) {
      super(new java.io.BufferedInputStream(in, READ_BUFFER));
      this.index = index;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        progress.layerBytes(index, n);
      }
      return n;
    }
  }
}
