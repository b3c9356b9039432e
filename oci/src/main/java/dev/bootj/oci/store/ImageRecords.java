package dev.bootj.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.common.BootjException;
import dev.bootj.common.files.AtomicFile;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's list of pulled references, one JSON file each under {@code images/}, named by the
 * SHA-256 of the reference so any reference maps to a safe file name. Written by atomic rename.
 */
public final class ImageRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  ImageRecords(Path dir) {
    this.dir = dir;
  }

  public static ImageRecords of(BlobStore store) {
    return store.images();
  }

  public Optional<ImageRecord> find(String reference) throws IOException {
    Path file = fileFor(reference);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(read(file));
  }

  /**
   * The first record, by reference, of an image whose manifest is {@code manifestDigest}: which
   * reference pulled it does not matter to those who ask by digest (what a slot holds).
   */
  public Optional<ImageRecord> withManifestDigest(String manifestDigest) throws IOException {
    for (ImageRecord record : all()) {
      if (record.manifestDigest().toString().equals(manifestDigest)) {
        return Optional.of(record);
      }
    }
    return Optional.empty();
  }

  public List<ImageRecord> all() throws IOException {
    List<ImageRecord> records = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        records.add(read(file));
      }
    }
    records.sort((a, b) -> a.reference().compareTo(b.reference()));
    return records;
  }

  /**
   * Replaces the record durably (on a machine the store is on its state partition: power cuts
   * happen). Concurrent pulls of one reference save without a lock, the last one wins.
   */
  public void save(ImageRecord record) throws IOException {
    AtomicFile.writeUnlocked(fileFor(record.reference()), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(record)));
  }

  public boolean remove(String reference) throws IOException {
    return Files.deleteIfExists(fileFor(reference));
  }

  private Path fileFor(String reference) {
    return dir.resolve(Digest.of(reference.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
  }

  private static ObjectNode toJson(ImageRecord r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("reference", r.reference());
    root.put("manifestDigest", r.manifestDigest().toString());
    root.put("platform", r.platform() == null ? null : r.platform().toString());
    root.put("pulledAt", r.pulledAt().toString());
    if (r.indexDigest() != null) {
      root.put("indexDigest", r.indexDigest().toString());
    }
    ObjectNode manifest = root.putObject("manifest");
    manifest.put("mediaType", r.manifest().mediaType());
    manifest.set("config", descriptor(r.manifest().config()));
    ArrayNode layers = manifest.putArray("layers");
    r.manifest().layers().forEach(l -> layers.add(descriptor(l)));
    ObjectNode annotations = manifest.putObject("annotations");
    r.manifest().annotations().forEach(annotations::put);
    return root;
  }

  private static ObjectNode descriptor(Descriptor d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mediaType", d.mediaType());
    node.put("digest", d.digest().toString());
    node.put("size", d.size());
    return node;
  }

  private static ImageRecord read(Path file) throws IOException {
    try {
      JsonNode root = JSON.readTree(file.toFile());
      JsonNode m = root.path("manifest");
      List<Descriptor> layers = new ArrayList<>();
      m.path("layers").forEach(l -> layers.add(descriptor(l)));
      Map<String, String> annotations = JSON.convertValue(m.path("annotations"), JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
      ImageManifest manifest = new ImageManifest(m.path("mediaType").asText(), descriptor(m.path("config")), layers, annotations);
      String platform = root.path("platform").asText(null);
      return new ImageRecord(
          root.path("reference").asText(),
          Digest.parse(root.path("manifestDigest").asText()),
          manifest,
          platform == null ? null : Platform.parse(platform),
          Instant.parse(root.path("pulledAt").asText()),
          root.hasNonNull("indexDigest") ? Digest.parse(root.path("indexDigest").asText()) : null);
    } catch (RuntimeException | IOException e) {
      throw new BootjException(
          BootjException.Kind.SYSTEM, "the image record " + file + " is unreadable (" + e.getMessage() + "); remove it and pull again", e);
    }
  }

  private static Descriptor descriptor(JsonNode node) {
    return new Descriptor(node.path("mediaType").asText(), Digest.parse(node.path("digest").asText()), node.path("size").asLong());
  }
}
