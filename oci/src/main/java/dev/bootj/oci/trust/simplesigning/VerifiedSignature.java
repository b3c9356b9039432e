package dev.bootj.oci.trust.simplesigning;

/**
 * A signature whose key is trusted, whose cryptography holds and whose payload parsed: what it
 * claims is now known to come from the key's owner. Whether the claim fits the image (digest,
 * identity) is still to be checked.
 *
 * @param keyFingerprint the trusted key that made it: an OpenPGP primary key fingerprint in
 *     uppercase hex, or a sigstore key's lowercase hex SHA-256 of its DER SubjectPublicKeyInfo
 * @param payload what the signer signed
 */
public record VerifiedSignature(String keyFingerprint, SignaturePayload payload) {}
