package dev.bootj.oci.reference;

/**
 * Where an image comes from, as the user wrote it: a registry reference, or an OCI image layout
 * directory or archive on disk.
 *
 * <p>Accepted forms, as skopeo and podman spell them:
 *
 * <ul>
 *   <li>{@code [docker://][REGISTRY/]REPOSITORY[:TAG][@sha256:HEX]}; Docker Hub short names are
 *       normalised as docker does ({@code debian} is {@code docker.io/library/debian:latest})
 *   <li>{@code oci:DIRECTORY[:TAG]}
 *   <li>{@code oci-archive:FILE[:TAG]}
 * </ul>
 */
public sealed interface ImageReference permits RegistryReference, LayoutReference {

  /**
   * Parses a reference.
   *
   * @throws InvalidReferenceException with a message that says what is wrong with it
   */
  static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidReferenceException("an image reference is required, e.g. registry.example/os:1");
    }
    if (text.startsWith(LayoutReference.DIRECTORY_PREFIX)
        || text.startsWith(LayoutReference.ARCHIVE_PREFIX)) {
      return LayoutReference.parse(text);
    }
    return RegistryReference.parse(text);
  }
}
