package dev.bootj.oci.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests, indexes and configs into bootj's models. Unknown fields are ignored, as the
 * image spec requires (newer writers add {@code artifactType}, {@code subject} and more); missing
 * or malformed required fields are an integrity error naming the field.
 */
public final class ManifestParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;

  /** @param source what the document is, for error messages, e.g. "manifest of registry.example/os:1" */
  public ManifestParser(String source) {
    this.source = source;
  }

  public ManifestDocument parseDocument(byte[] json, String mediaTypeHint) throws BootjException {
    return parseDocument(readTree(json), mediaTypeHint);
  }

  /** @param mediaTypeHint the Content-Type or descriptor media type, used when the JSON has none */
  public ManifestDocument parseDocument(JsonNode root, String mediaTypeHint) throws BootjException {
    if (!root.isObject()) {
      throw malformed("it is not a JSON object");
    }
    int schemaVersion = root.path("schemaVersion").asInt(-1);
    if (schemaVersion != 2) {
      throw malformed(
          schemaVersion == 1
              ? "it is a Docker schema 1 manifest, which bootj does not read; push the image again with a current tool"
              : "schemaVersion is " + root.path("schemaVersion") + ", expected 2");
    }
    String mediaType = root.path("mediaType").asText(null);
    if (mediaType == null) {
      mediaType = mediaTypeHint;
    }
    if (mediaType == null) {
      // An OCI document may omit mediaType; its shape says what it is.
      mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    if (MediaTypes.isIndex(mediaType)) {
      List<Descriptor> manifests = new ArrayList<>();
      for (JsonNode entry : array(root, "manifests")) {
        manifests.add(descriptor(entry, "manifests[]"));
      }
      return new ImageIndex(mediaType, manifests);
    }
    if (MediaTypes.isManifest(mediaType)) {
      Descriptor config = descriptor(root.path("config"), "config");
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode entry : array(root, "layers")) {
        layers.add(descriptor(entry, "layers[]"));
      }
      return new ImageManifest(mediaType, config, layers, strings(root.path("annotations")));
    }
    throw malformed("its media type '" + mediaType + "' is neither an image manifest nor an index");
  }

  public ImageConfig parseConfig(byte[] json) throws BootjException {
    JsonNode root = readTree(json);
    String os = root.path("os").asText("");
    String arch = root.path("architecture").asText("");
    String variant = root.path("variant").asText(null);
    Platform platform = os.isEmpty() || arch.isEmpty() ? null : new Platform(os, arch, variant);
    List<Digest> diffIds = new ArrayList<>();
    for (JsonNode id : array(root.path("rootfs"), "diff_ids")) {
      diffIds.add(digest(id, "rootfs.diff_ids[]"));
    }
    return new ImageConfig(
        platform, root.path("created").asText(null), strings(root.path("config").path("Labels")), diffIds);
  }

  public JsonNode readTree(byte[] json) throws BootjException {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw malformed("it is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw malformed("it is not valid JSON (" + e.getMessage() + ")");
    }
  }

  private Descriptor descriptor(JsonNode node, String where) throws BootjException {
    if (!node.isObject()) {
      throw malformed(where + " is missing or not an object");
    }
    String mediaType = node.path("mediaType").asText(null);
    if (mediaType == null) {
      throw malformed(where + ".mediaType is missing");
    }
    JsonNode size = node.path("size");
    if (!size.canConvertToLong() || size.asLong() < 0) {
      throw malformed(where + ".size is missing or negative");
    }
    Platform platform = null;
    JsonNode p = node.path("platform");
    if (p.isObject()) {
      platform = new Platform(
          p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText(null));
    }
    return new Descriptor(
        mediaType, digest(node.path("digest"), where + ".digest"), size.asLong(), platform,
        strings(node.path("annotations")));
  }

  private Digest digest(JsonNode node, String where) throws BootjException {
    try {
      return Digest.parse(node.asText(null));
    } catch (IllegalArgumentException e) {
      throw malformed(where + " is not a sha256 digest: " + node);
    }
  }

  private Iterable<JsonNode> array(JsonNode parent, String field) throws BootjException {
    JsonNode node = parent.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw malformed(field + " is not an array");
    }
    return node;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), e.getValue().asText());
      }
    }
    return map;
  }

  private BootjException malformed(String why) {
    return new BootjException(BootjException.Kind.INTEGRITY, "the " + source + " is malformed: " + why);
  }
}
