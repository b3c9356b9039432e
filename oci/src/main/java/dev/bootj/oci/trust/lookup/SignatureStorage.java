package dev.bootj.oci.trust.lookup;

import java.net.URI;

/**
 * Where one image's signatures are stored, as containers-registries.d(5) configures it for the
 * image's scope.
 *
 * @param lookaside the top of the lookaside read from (the repository path is appended per image)
 * @param lookasideOrigin where {@code lookaside} came from, for messages: {@code docker scope
 *     "registry.example/os" in /etc/containers/registries.d/os.yaml}, {@code default-docker in ...},
 *     or {@code the built-in default}
 * @param lookasideForWriting where a signer writes: {@code lookaside-staging} if configured, else
 *     {@code lookaside}
 * @param useSigstoreAttachments whether cosign-style signatures (the {@code sha256-<hex>.sig} tag
 *     in the image's repository) are read too
 */
public record SignatureStorage(
    URI lookaside, String lookasideOrigin, URI lookasideForWriting, boolean useSigstoreAttachments) {}
