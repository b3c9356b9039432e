package dev.bootj.oci;

/** When a command that needs an image contacts the registry, as podman's {@code --pull}. */
public enum PullPolicy {
  /** Always resolve the reference again and fetch what is missing. */
  ALWAYS,
  /** Use the stored image when this reference was pulled before; otherwise pull. */
  MISSING,
  /** Never contact a registry; fail when the image is not stored. */
  NEVER
}
