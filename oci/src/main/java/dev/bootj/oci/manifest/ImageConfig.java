package dev.bootj.oci.manifest;

import dev.bootj.oci.reference.Digest;
import java.util.List;
import java.util.Map;

/** The parts of an image's config blob that bootj uses. */
public record ImageConfig(
    Platform platform, String created, Map<String, String> labels, List<Digest> diffIds) {

  public ImageConfig {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    diffIds = List.copyOf(diffIds);
  }
}
