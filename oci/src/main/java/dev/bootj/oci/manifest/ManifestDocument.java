package dev.bootj.oci.manifest;

/** What a manifest endpoint or an index entry can hold: an image manifest or an index of them. */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {

  String mediaType();
}
