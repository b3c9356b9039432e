package dev.bootj.oci.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.unpack.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LayerPipelineTest {

  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private final LayerPipeline pipeline = new LayerPipeline(threads);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(11).nextBytes(data);
    return data;
  }

  @Test
  void decompressesOnTheWayThrough() throws Exception {
    byte[] data = random(3_000_000);
    byte[] gz = gzip(data);
    byte[] seen = pipeline.run("layer t", Compression.GZIP, out -> {
      for (int off = 0; off < gz.length; off += 10_000) {
        out.write(gz, off, Math.min(10_000, gz.length - off));
      }
    }, InputStream::readAllBytes);
    assertThat(seen).isEqualTo(data);
  }

  @Test
  void aConsumerThatStopsEarlyDoesNotBlockTheProducer() throws Exception {
    byte[] gz = gzip(random(8_000_000));
    int first = pipeline.run("layer t", Compression.GZIP, out -> out.write(gz), in -> in.read());
    assertThat(first).isBetween(0, 255);
  }

  @Test
  void theConsumersFailureIsReportedNotTheBrokenPipe() {
    byte[] gz;
    try {
      gz = gzip(random(8_000_000));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> pipeline.run("layer t", Compression.GZIP, out -> out.write(gz), in -> {
      in.readNBytes(1000);
      throw new IOException("layer entry 'x' is unsafe");
    })).isInstanceOf(IOException.class).hasMessage("layer entry 'x' is unsafe");
  }

  @Test
  void corruptCompressionIsReported() {
    byte[] notGzip = random(100_000);
    assertThatThrownBy(() -> pipeline.run("layer t", Compression.GZIP, out -> out.write(notGzip), InputStream::readAllBytes))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("other side"));
  }

  @Test
  void theProducersFailureIsReported() {
    assertThatThrownBy(() -> pipeline.run("layer t", Compression.NONE, out -> {
      out.write(new byte[1000]);
      throw new IOException("connection reset by registry");
    }, InputStream::readAllBytes)).isInstanceOf(IOException.class).hasMessage("connection reset by registry");
  }
}
