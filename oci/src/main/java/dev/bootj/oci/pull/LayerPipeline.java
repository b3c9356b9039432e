package dev.bootj.oci.pull;

import dev.bootj.common.BootjException;
import dev.bootj.oci.unpack.Compression;
import dev.bootj.oci.unpack.InvalidLayerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs one layer through three stages on three threads: the caller produces compressed bytes
 * (from the network or the store), a second thread decompresses them, a third unpacks the tar.
 * Decompression and unpacking each take about as long as the other on a large layer, so on two or
 * more cores this roughly halves the time of doing them in turn. Memory is bounded by the pipes.
 */
public final class LayerPipeline {

  private static final int BLOCKS = 16;
  private static final int BLOCK_SIZE = 256 * 1024;

  /** Writes the compressed layer into the stream it is given. */
  @FunctionalInterface
  public interface Producer {
    void writeTo(OutputStream compressed) throws IOException;
  }

  /** Reads the uncompressed tar; must not close it. */
  @FunctionalInterface
  public interface Consumer<T> {
    T readFrom(InputStream tar) throws IOException;
  }

  private final ExecutorService threads;

  /** @param threads at least two threads, reused for every layer */
  public LayerPipeline(ExecutorService threads) {
    this.threads = threads;
  }

  /** @param layer what the layer is, for messages ("layer 1a2b3c4d5e6f of registry.example/os:1") */
  public <T> T run(String layer, Compression compression, Producer producer, Consumer<T> consumer) throws IOException {
    BlockPipe compressed = new BlockPipe(BLOCKS, BLOCK_SIZE);
    BlockPipe tar = compression == Compression.NONE ? compressed : new BlockPipe(BLOCKS, BLOCK_SIZE);
    Future<Void> inflating = tar == compressed ? null : threads.submit(() -> {
      try (InputStream in = compression.decompress(compressed.source()); OutputStream out = tar.sink()) {
        byte[] buffer = new byte[BLOCK_SIZE];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
        drain(compressed.source());
        return null;
      } catch (IOException | RuntimeException e) {
        // A decompressor's complaint ("not in gzip format", a bad zstd frame) is bad content, not
        // a failure of this machine; an echo of another stage's failure is passed on as it is.
        Exception reported = e instanceof BootjException || compressed.failure() != null || tar.failure() != null
            ? e
            : new InvalidLayerException(layer + " is not valid " + compression.name().toLowerCase(java.util.Locale.ROOT)
                + " data (" + e.getMessage() + ")", e);
        failAll(reported, compressed, tar);
        throw reported;
      }
    });
    Future<T> unpacking = threads.submit(() -> {
      try {
        T result = consumer.readFrom(tar.source());
        // Read to the end so no earlier stage is ever left blocked on a full pipe.
        drain(tar.source());
        return result;
      } catch (IOException | RuntimeException e) {
        failAll(e, compressed, tar);
        throw e;
      }
    });
    try {
      producer.writeTo(compressed.sink());
      compressed.sink().close();
      T result = BackgroundTasks.await(unpacking);
      if (inflating != null) {
        BackgroundTasks.await(inflating);
      }
      return result;
    } catch (IOException | RuntimeException e) {
      failAll(e, compressed, tar);
      awaitQuietly(unpacking);
      awaitQuietly(inflating);
      // Every stage reports into the same pipes; the first failure is the cause, the others are
      // "the other side failed" echoes of it.
      IOException first = compressed.failure();
      if (first == null || first == e || first.getCause() == e) {
        throw e;
      }
      throw first;
    }
  }

  private static void awaitQuietly(Future<?> future) {
    if (future == null) {
      return;
    }
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException ignored) {
      // reported through the pipes
    }
  }

  private static void failAll(Exception e, BlockPipe... pipes) {
    IOException cause = e instanceof IOException io ? io : new IOException(e);
    for (BlockPipe pipe : pipes) {
      pipe.fail(cause);
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (in.read(buffer) >= 0) {
      // discard
    }
  }


}
