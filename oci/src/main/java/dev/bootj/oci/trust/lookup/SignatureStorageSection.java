package dev.bootj.oci.trust.lookup;

import java.net.URI;

/**
 * One configuration section of containers-registries.d(5): the value of {@code default-docker} or
 * of one scope under {@code docker}. Each key may be absent (null); an absent key lets a wider
 * scope supply it, as containers/image does.
 *
 * @param file the file the section was read from, for messages
 * @param scope the scope as written ({@code registry.example/ns}), or {@code default-docker}
 * @param lookaside {@code lookaside}, or its old name {@code sigstore} when only that is given
 * @param lookasideStaging {@code lookaside-staging}, or its old name {@code sigstore-staging}
 * @param useSigstoreAttachments {@code use-sigstore-attachments}
 */
record SignatureStorageSection(
    String file, String scope, URI lookaside, URI lookasideStaging, Boolean useSigstoreAttachments) {

  /** Where signatures are read: {@code lookaside}. */
  URI readUrl() {
    return lookaside;
  }

  /** Where signatures are written: {@code lookaside-staging}, else {@code lookaside}. */
  URI writeUrl() {
    return lookasideStaging != null ? lookasideStaging : lookaside;
  }
}
