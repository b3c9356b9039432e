package dev.bootj.oci.trust.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.MediaTypes;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;

/**
 * Builds the documents of a cosign signature manifest, in the shape cosign (through
 * go-containerregistry) writes them, so that cosign and containers/image read what bootj writes:
 *
 * <pre>{@code
 * manifest: {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 *            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":..,"digest":".."},
 *            "layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":..,
 *                       "digest":"..","annotations":{"dev.cosignproject.cosign/signature":"<base64>"}}]}
 * config:   {"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],
 *            "os":"","rootfs":{"type":"layers","diff_ids":["<payload digest>"]},"config":{}}
 * }</pre>
 *
 * An existing manifest and config are extended, not rewritten: every field and every layer with
 * its annotations (certificates, bundles) stays as it was; the new layer is appended, its digest
 * added to {@code rootfs.diff_ids}, and, where the config keeps a history, one entry added to it
 * as go-containerregistry does.
 */
final class CosignManifestEditor {

  /** go-containerregistry's zero time, which cosign writes unless asked to record the signing time. */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode manifest;
  private final ObjectNode config;

  private CosignManifestEditor(ObjectNode manifest, ObjectNode config) {
    this.manifest = manifest;
    this.config = config;
  }

  /** A new, empty signature manifest and config. */
  static CosignManifestEditor empty() {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    manifest.putObject("config");
    manifest.putArray("layers");
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.put("created", ZERO_TIME);
    config.putArray("history");
    config.put("os", "");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    config.putObject("config");
    return new CosignManifestEditor(manifest, config);
  }

  /**
   * An existing signature manifest and its config, to be extended.
   *
   * @param what the manifest's name for messages
   * @throws BootjException (INTEGRITY) when either is not the JSON object it must be
   */
  static CosignManifestEditor of(byte[] manifestJson, byte[] configJson, String what) throws BootjException {
    ObjectNode manifest = object(manifestJson, "the " + what);
    ObjectNode config = object(configJson, "the config of " + what);
    if (!manifest.path("layers").isArray() && !manifest.path("layers").isMissingNode()) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "the " + what + " is malformed: layers is not an array");
    }
    JsonNode rootfs = config.path("rootfs");
    if (!(rootfs.isObject() || rootfs.isMissingNode()) || !(rootfs.path("diff_ids").isArray() || rootfs.path("diff_ids").isMissingNode())) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "the config of " + what + " is malformed: rootfs.diff_ids is not an array");
    }
    return new CosignManifestEditor(manifest, config);
  }

  /** Appends one signature layer; the payload blob is {@code payloadDigest} of {@code payloadSize} bytes. */
  void append(Digest payloadDigest, long payloadSize, String base64Signature) {
    ArrayNode layers = manifest.has("layers") ? (ArrayNode) manifest.get("layers") : manifest.putArray("layers");
    ObjectNode layer = layers.addObject();
    layer.put("mediaType", CosignAttachment.PAYLOAD_MEDIA_TYPE);
    layer.put("size", payloadSize);
    layer.put("digest", payloadDigest.toString());
    layer.putObject("annotations").put(CosignAttachment.SIGNATURE_ANNOTATION, base64Signature);

    ObjectNode rootfs = config.has("rootfs") ? (ObjectNode) config.get("rootfs") : config.putObject("rootfs");
    if (!rootfs.has("type")) {
      rootfs.put("type", "layers");
    }
    ArrayNode diffIds = rootfs.has("diff_ids") ? (ArrayNode) rootfs.get("diff_ids") : rootfs.putArray("diff_ids");
    // The payload is stored uncompressed, so its diff ID is its digest.
    diffIds.add(payloadDigest.toString());
    if (config.path("history").isArray()) {
      ((ArrayNode) config.get("history")).addObject().put("created", ZERO_TIME);
    }
  }

  /** The config document as it will be pushed. */
  byte[] configBytes() {
    return bytes(config);
  }

  /** Points the manifest at the config blob that {@link #configBytes()} became; returns the manifest as it will be pushed. */
  byte[] manifestBytes(Digest configDigest, long configSize) {
    JsonNode existing = manifest.path("config");
    String mediaType = existing.path("mediaType").asText(MediaTypes.OCI_CONFIG);
    ObjectNode descriptor = manifest.putObject("config");
    descriptor.put("mediaType", mediaType);
    descriptor.put("size", configSize);
    descriptor.put("digest", configDigest.toString());
    return bytes(manifest);
  }

  private static ObjectNode object(byte[] json, String what) throws BootjException {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.INTEGRITY, what + " is not valid JSON");
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new BootjException(BootjException.Kind.INTEGRITY, what + " is not a JSON object");
    }
    return object;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
