package dev.bootj.oci.tree;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.files.AtomicFile;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.unpack.Compression;
import dev.bootj.oci.unpack.LayerListing;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The listings of the layers a store holds, read once from each blob and then kept beside it
 * ({@link BlobStore#listingPath}, gzipped JSON lines, about 1% of the layer), so the files of an
 * image are known again without reading its layers. A cached listing is trusted like the blob it
 * was read from: both are in the same store, written by bootj only.
 */
public final class StoredListings {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Bumped when the line format changes: an older cache file is then read from the blob again. */
  private static final int FORMAT = 1;

  private final BlobStore store;

  public StoredListings(BlobStore store) {
    this.store = store;
  }

  /** Opens the store's blobs of {@code layers} (by index) as uncompressed tars, for {@link TreePatcher#extract}. */
  public TreePatcher.LayerOpener opener(List<Descriptor> layers) {
    return index -> {
      Descriptor layer = layers.get(index);
      InputStream blob = new BufferedInputStream(Files.newInputStream(store.blobPath(layer.digest())), 1 << 20);
      return Compression.fromMediaType(layer.mediaType()).decompress(blob);
    };
  }

  /** The tree of {@code layers}, or null when a layer is in neither the cache nor the store. */
  public ImageTree tree(List<Descriptor> layers) throws IOException {
    List<List<LayerListing.Entry>> listings = new ArrayList<>();
    for (Descriptor layer : layers) {
      List<LayerListing.Entry> listing = find(layer);
      if (listing == null) {
        return null;
      }
      listings.add(listing);
    }
    return ImageTree.of(listings);
  }

  /** The listing of {@code layer}: cached, or read from its blob and cached; null when neither exists. */
  public List<LayerListing.Entry> find(Descriptor layer) throws IOException {
    Path cached = store.listingPath(layer.digest());
    if (Files.isRegularFile(cached)) {
      List<LayerListing.Entry> listing = readCache(cached);
      if (listing != null) {
        return listing;
      }
    }
    if (!store.contains(layer.digest())) {
      return null;
    }
    List<LayerListing.Entry> listing;
    try (InputStream blob = new BufferedInputStream(Files.newInputStream(store.blobPath(layer.digest())), 1 << 20);
        InputStream tar = Compression.fromMediaType(layer.mediaType()).decompress(blob)) {
      listing = LayerListing.read(tar);
    }
    save(layer, listing);
    return listing;
  }

  /** Whether {@code layer}'s listing is cached (in a format this version reads or not). */
  public boolean isCached(Descriptor layer) {
    return Files.isRegularFile(store.listingPath(layer.digest()));
  }

  /**
   * Caches the listing of a layer that was read some other way, such as by the unpacker while it
   * wrote the layer; call it only once the layer is verified and in the store.
   */
  public void save(Descriptor layer, List<LayerListing.Entry> listing) throws IOException {
    AtomicFile.writeUnlocked(store.listingPath(layer.digest()), serialize(listing));
  }

  private static byte[] serialize(List<LayerListing.Entry> listing) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        JsonGenerator out = new JsonFactory().createGenerator(gzip)) {
      out.setRootValueSeparator(null);
      out.writeStartObject();
      out.writeNumberField("format", FORMAT);
      out.writeNumberField("entries", listing.size());
      out.writeEndObject();
      out.writeRaw('\n');
      for (LayerListing.Entry e : listing) {
        out.writeStartObject();
        out.writeStringField("n", e.name());
        stringArray(out, "p", e.path());
        out.writeStringField("t", e.type().name());
        out.writeNumberField("m", e.mode());
        out.writeNumberField("u", e.uid());
        out.writeNumberField("g", e.gid());
        out.writeNumberField("s", e.size());
        out.writeNumberField("ts", e.mtime().getEpochSecond());
        out.writeNumberField("tn", e.mtime().getNano());
        if (e.symlinkTarget() != null) {
          out.writeStringField("l", e.symlinkTarget());
        }
        if (e.hardLinkTarget() != null) {
          stringArray(out, "h", e.hardLinkTarget());
        }
        if (e.devMajor() != 0 || e.devMinor() != 0) {
          out.writeNumberField("dM", e.devMajor());
          out.writeNumberField("dm", e.devMinor());
        }
        if (!e.xattrs().isEmpty()) {
          out.writeObjectFieldStart("x");
          for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
            out.writeStringField(x.getKey(), x.getValue());
          }
          out.writeEndObject();
        }
        if (e.contentSha256() != null) {
          out.writeStringField("c", e.contentSha256());
        }
        out.writeEndObject();
        out.writeRaw('\n');
      }
    }
    return bytes.toByteArray();
  }

  private static void stringArray(JsonGenerator out, String name, List<String> values) throws IOException {
    out.writeArrayFieldStart(name);
    for (String value : values) {
      out.writeString(value);
    }
    out.writeEndArray();
  }

  /** Null when the file is of another format or incomplete: it is then read from the blob again. */
  private static List<LayerListing.Entry> readCache(Path file) throws IOException {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
      JsonNode header = JSON.readTree(lines.readLine());
      if (header == null || header.path("format").asInt() != FORMAT) {
        return null;
      }
      int count = header.path("entries").asInt(-1);
      List<LayerListing.Entry> listing = new ArrayList<>(Math.max(count, 0));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        listing.add(entry(JSON.readTree(line)));
      }
      return listing.size() == count ? listing : null;
    } catch (IOException | RuntimeException e) {
      return null; // a damaged cache is only a cache
    }
  }

  private static LayerListing.Entry entry(JsonNode n) {
    Map<String, String> xattrs = new TreeMap<>();
    n.path("x").fields().forEachRemaining(f -> xattrs.put(f.getKey(), f.getValue().asText()));
    return new LayerListing.Entry(n.path("n").asText(), strings(n.path("p")),
        LayerListing.Type.valueOf(n.path("t").asText()), n.path("m").asInt(), n.path("u").asLong(), n.path("g").asLong(),
        n.path("s").asLong(), Instant.ofEpochSecond(n.path("ts").asLong(), n.path("tn").asInt()),
        n.hasNonNull("l") ? n.get("l").asText() : null, n.has("h") ? strings(n.get("h")) : null,
        n.path("dM").asLong(), n.path("dm").asLong(), Collections.unmodifiableMap(xattrs),
        n.hasNonNull("c") ? n.get("c").asText() : null);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }
}
