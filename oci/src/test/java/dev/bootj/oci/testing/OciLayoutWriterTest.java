package dev.bootj.oci.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.unpack.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutWriterTest {

  @TempDir Path temp;

  @Test
  void writesAConsistentLayout() throws IOException {
    TarBuilder first = new TarBuilder();
    first.file("a", "1");
    TarBuilder second = new TarBuilder();
    second.file("b", "2");
    byte[] tar1 = first.build();
    byte[] tar2 = second.build();
    Path layout = temp.resolve("layout");

    Digest manifestDigest = OciLayoutWriter.write(layout, "v1", List.of(
        OciLayoutWriter.Layer.gzip(tar1), new OciLayoutWriter.Layer(tar2, OciLayoutWriter.TAR_ZSTD)));

    ObjectMapper json = new ObjectMapper();
    assertThat(Files.readString(layout.resolve("oci-layout"))).contains("1.0.0");
    JsonNode index = json.readTree(layout.resolve("index.json").toFile());
    JsonNode descriptor = index.get("manifests").get(0);
    assertThat(descriptor.get("digest").asText()).isEqualTo(manifestDigest.toString());
    assertThat(descriptor.get("annotations").get("org.opencontainers.image.ref.name").asText()).isEqualTo("v1");
    JsonNode manifest = json.readTree(blob(layout, manifestDigest.toString()));
    JsonNode layers = manifest.get("layers");
    assertThat(layers.get(1).get("mediaType").asText()).isEqualTo(OciLayoutWriter.TAR_ZSTD);
    JsonNode config = json.readTree(blob(layout, manifest.get("config").get("digest").asText()));
    assertThat(config.get("rootfs").get("diff_ids").get(0).asText()).isEqualTo(Digest.of(tar1).toString());
    for (int i = 0; i < 2; i++) {
      JsonNode layer = layers.get(i);
      byte[] blob = blob(layout, layer.get("digest").asText());
      assertThat(blob.length).isEqualTo(layer.get("size").asLong());
      byte[] tar = Compression.fromMediaType(layer.get("mediaType").asText())
          .decompress(new ByteArrayInputStream(blob)).readAllBytes();
      assertThat(Digest.of(tar).toString()).isEqualTo(config.get("rootfs").get("diff_ids").get(i).asText());
    }
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    byte[] content = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring(7)));
    assertThat(Digest.of(content).toString()).isEqualTo(digest);
    return content;
  }
}
