package dev.bootj.oci.manifest;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** An OCI image index or Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) implements ManifestDocument {

  public ImageIndex {
    manifests = List.copyOf(manifests);
  }

  /**
   * The manifest for {@code wanted}. An entry with exactly the wanted variant wins over one with
   * no variant; entries that are not image manifests (attestations, nested indexes) are skipped.
   */
  public Optional<Descriptor> select(Platform wanted) {
    return manifests.stream()
        .filter(d -> MediaTypes.isManifest(d.mediaType()) && d.platform() != null)
        .filter(d -> wanted.accepts(d.platform()))
        .min(Comparator.comparing(d -> exactVariant(wanted, d) ? 0 : 1));
  }

  private static boolean exactVariant(Platform wanted, Descriptor d) {
    return wanted.variant() != null && wanted.variant().equals(d.platform().variant());
  }
}
