package dev.bootj.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.oci.InspectedImage;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.manifest.Descriptor;
import java.io.PrintWriter;

/** The JSON shapes bootj prints with {@code --json}; field names are a stable interface. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Prints a node, or a typed record (its fields in the order the record declares them). */
  public static void print(PrintWriter out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  public static ObjectNode image(InspectedImage image) {
    ObjectNode node = object();
    node.put("reference", image.reference());
    node.put("digest", image.manifestDigest().toString());
    node.put("mediaType", image.manifest().mediaType());
    node.put("platform", image.platform() == null ? null : image.platform().toString());
    node.put("created", image.config().created());
    ObjectNode labels = node.putObject("labels");
    image.config().labels().forEach(labels::put);
    node.set("config", descriptor(image.manifest().config()));
    ArrayNode layers = node.putArray("layers");
    image.manifest().layers().forEach(l -> layers.add(descriptor(l)));
    node.put("layersSize", image.manifest().layerBytes());
    return node;
  }

  public static ObjectNode pulled(PulledImage image) {
    ObjectNode node = object();
    node.put("reference", image.reference());
    node.put("digest", image.manifestDigest().toString());
    node.put("platform", image.platform() == null ? null : image.platform().toString());
    node.put("layers", image.manifest().layers().size());
    node.put("layersSize", image.manifest().layerBytes());
    node.put("layersDownloaded", image.layersDownloaded());
    node.put("downloadedBytes", image.downloadedBytes());
    return node;
  }

  private static ObjectNode descriptor(Descriptor d) {
    ObjectNode node = object();
    node.put("mediaType", d.mediaType());
    node.put("digest", d.digest().toString());
    node.put("size", d.size());
    return node;
  }
}
