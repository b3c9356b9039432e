package dev.bootj.oci.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an OCI image layout directory (oci-layout, index.json, blobs/sha256/…) holding one
 * linux/amd64 image whose layers are the given tars, tagged through the
 * {@code org.opencontainers.image.ref.name} annotation so {@code umoci unpack --image DIR:TAG}
 * and bootj can both open it.
 */
public final class OciLayoutWriter {

  public static final String TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String TAR_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String DOCKER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An uncompressed layer tar and the media type to store it as (compressed accordingly). */
  public record Layer(byte[] tar, String mediaType) {
    public static Layer gzip(byte[] tar) {
      return new Layer(tar, TAR_GZIP);
    }
  }

  private OciLayoutWriter() {}

  /** Writes the layout with every layer stored as {@code mediaType}; returns the manifest's digest. */
  public static Digest write(Path dir, String tag, String mediaType, List<byte[]> tars)
      throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (byte[] tar : tars) {
      layers.add(new Layer(tar, mediaType));
    }
    return write(dir, tag, layers);
  }

  /** Writes the layout; returns the manifest's digest. {@code dir} is created if missing. */
  public static Digest write(Path dir, String tag, List<Layer> layers) throws IOException {
    return write(dir, tag, layers, Map.of());
  }

  /** The same, with {@code labels} in the image config (org.opencontainers.image.version, say). */
  public static Digest write(Path dir, String tag, List<Layer> layers, Map<String, String> labels)
      throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

    List<Object> layerDescriptors = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (Layer layer : layers) {
      byte[] blob = compress(layer);
      layerDescriptors.add(descriptor(layer.mediaType(), writeBlob(dir, blob), blob.length));
      diffIds.add(Digest.of(layer.tar()).toString());
    }

    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", diffIds);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("config", labels.isEmpty() ? Map.of() : Map.of("Labels", labels));
    config.put("rootfs", rootfs);
    byte[] configJson = JSON.writeValueAsBytes(config);

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.put("config", descriptor(
        "application/vnd.oci.image.config.v1+json", writeBlob(dir, configJson), configJson.length));
    manifest.put("layers", layerDescriptors);
    byte[] manifestJson = JSON.writeValueAsBytes(manifest);
    Digest manifestDigest = writeBlob(dir, manifestJson);

    Map<String, Object> manifestDescriptor =
        descriptor("application/vnd.oci.image.manifest.v1+json", manifestDigest, manifestJson.length);
    manifestDescriptor.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    index.put("manifests", List.of(manifestDescriptor));
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    return manifestDigest;
  }

  private static byte[] compress(Layer layer) {
    String type = layer.mediaType();
    if (type.endsWith("+gzip") || type.endsWith(".gzip")) {
      return TarBuilder.gzip(layer.tar());
    }
    if (type.endsWith("+zstd")) {
      return TarBuilder.zstd(layer.tar());
    }
    return layer.tar();
  }

  private static Digest writeBlob(Path dir, byte[] content) throws IOException {
    Digest digest = Digest.of(content);
    Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), content);
    return digest;
  }

  private static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest.toString());
    descriptor.put("size", size);
    return descriptor;
  }

}
