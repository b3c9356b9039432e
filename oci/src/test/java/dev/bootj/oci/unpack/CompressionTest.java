package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressionTest {

  @Test
  void mediaTypes() throws InvalidLayerException {
    assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar")).isEqualTo(Compression.NONE);
    assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar+gzip")).isEqualTo(Compression.GZIP);
    assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"))
        .isEqualTo(Compression.GZIP);
    assertThat(Compression.fromMediaType("application/vnd.docker.image.rootfs.diff.tar.gzip"))
        .isEqualTo(Compression.GZIP);
    assertThat(Compression.fromMediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"))
        .isEqualTo(Compression.GZIP);
    assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar+zstd")).isEqualTo(Compression.ZSTD);
    assertThatThrownBy(() -> Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar+bzip2"))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("tar+bzip2");
    assertThatThrownBy(() -> Compression.fromMediaType(null)).isInstanceOf(InvalidLayerException.class);
  }

  @Test
  void gzipWithSeveralMembersOverATrickleStream() throws IOException {
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    byte[] compressed = TarBuilder.gzipMultiMember(data, 4);
    // A network stream hands out a few bytes at a time; member boundaries must not end the read.
    InputStream trickle = new FilterInputStream(new ByteArrayInputStream(compressed)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 7));
      }

      @Override
      public int available() {
        return 0;
      }
    };
    assertThat(Compression.GZIP.decompress(trickle).readAllBytes()).isEqualTo(data);
  }

  @Test
  void zstdAndNone() throws IOException {
    byte[] data = "layer".repeat(1000).getBytes();
    assertThat(Compression.ZSTD.decompress(new ByteArrayInputStream(TarBuilder.zstd(data))).readAllBytes())
        .isEqualTo(data);
    assertThat(Compression.NONE.decompress(new ByteArrayInputStream(data)).readAllBytes()).isEqualTo(data);
  }
}
