package dev.bootj.oci.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockPipeTest {

  @Test
  void carriesEveryByteInOrderAcrossThreads() throws Exception {
    byte[] data = new byte[5_000_003];
    new Random(7).nextBytes(data);
    BlockPipe pipe = new BlockPipe(4, 64 * 1024);
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = pipe.source()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    try (OutputStream out = pipe.sink()) {
      Random sizes = new Random(3);
      for (int off = 0; off < data.length; ) {
        int n = Math.min(1 + sizes.nextInt(100_000), data.length - off);
        out.write(data, off, n);
        off += n;
      }
    }
    assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(data);
  }

  @Test
  void aFailedReaderStopsTheWriterInsteadOfBlockingIt() throws Exception {
    BlockPipe pipe = new BlockPipe(2, 1024);
    pipe.fail(new IOException("unpack failed: bad tar"));
    OutputStream out = pipe.sink();
    assertThatThrownBy(() -> {
      for (int i = 0; i < 100; i++) {
        out.write(new byte[1024]);
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("bad tar");
  }

  @Test
  void aFailedWriterWakesTheReader() throws Exception {
    BlockPipe pipe = new BlockPipe(2, 1024);
    CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
      try {
        pipe.source().read(new byte[10]);
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    Thread.sleep(100);
    pipe.fail(new IOException("connection reset"));
    assertThat(reader.get(10, TimeUnit.SECONDS)).hasMessageContaining("connection reset");
  }
}
