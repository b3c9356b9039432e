package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.registry.RawManifest;
import java.util.Optional;

/** The few registry operations on one repository that cosign attachments need. */
interface AttachmentRepository {

  /** The manifest tagged {@code tag} as sent, or empty when there is none (HTTP 404). */
  Optional<RawManifest> manifest(String tag) throws BootjException;

  /**
   * The blob {@code descriptor} names, as the registry sent it, refusing more than {@code
   * maxBytes}. Callers check the digest themselves.
   */
  byte[] blob(Descriptor descriptor, int maxBytes) throws BootjException;

  /** Uploads {@code content} unless already there; returns its digest. */
  Digest pushBlob(byte[] content) throws BootjException;

  /** Uploads {@code json} byte for byte as the manifest tagged {@code tag}; returns its digest. */
  Digest pushManifest(byte[] json, String mediaType, String tag) throws BootjException;
}
