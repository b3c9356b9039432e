package dev.bootj.oci.manifest;

import dev.bootj.oci.reference.Digest;
import java.util.Map;

/** A pointer to content: its media type, digest and size, and for index entries its platform. */
public record Descriptor(
    String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {

  public Descriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, Map.of());
  }
}
