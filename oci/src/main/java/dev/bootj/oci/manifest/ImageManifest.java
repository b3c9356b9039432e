package dev.bootj.oci.manifest;

import java.util.List;
import java.util.Map;

/** An image manifest: one config blob and the layers, bottom first. */
public record ImageManifest(
    String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations)
    implements ManifestDocument {

  public ImageManifest {
    layers = List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** The sum of the layers' compressed sizes: what a pull with an empty store downloads. */
  public long layerBytes() {
    return layers.stream().mapToLong(Descriptor::size).sum();
  }
}
