package dev.bootj.oci.trust;

/**
 * How one policy requirement was met for an image: what {@code bootj status} prints per slot and
 * {@code --json} writes as {@code {"type": ..., "keyFingerprint": ..., "signedIdentity": ...}}.
 *
 * @param type the requirement's {@code type} in policy.json: {@code insecureAcceptAnything},
 *     {@code signedBy} or {@code sigstoreSigned}
 * @param keyFingerprint the trusted key whose signature passed, or null when no signature was
 *     needed: for {@code signedBy} the OpenPGP fingerprint of its primary key in uppercase hex, as
 *     gpg prints it; for {@code sigstoreSigned} the lowercase hex SHA-256 of the key's DER
 *     SubjectPublicKeyInfo
 * @param signedIdentity the {@code docker-reference} that signature claimed, or null when no
 *     signature was needed
 */
public record SatisfiedRequirement(String type, String keyFingerprint, String signedIdentity) {

  /** A requirement met without any signature ({@code insecureAcceptAnything}). */
  static SatisfiedRequirement withoutSignature(String type) {
    return new SatisfiedRequirement(type, null, null);
  }

  /** Whether a signature was verified to meet it. */
  public boolean hasSignature() {
    return keyFingerprint != null;
  }

  /** One line for people: {@code signedBy: key 4A1A..., identity registry.example/os:1}. */
  public String summary() {
    return hasSignature() ? type + ": key " + keyFingerprint + ", identity " + signedIdentity : type;
  }
}
