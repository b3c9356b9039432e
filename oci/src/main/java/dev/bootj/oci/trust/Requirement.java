package dev.bootj.oci.trust;

/**
 * One policy requirement of containers-policy.json(5). An image is accepted only when every
 * requirement of its scope holds.
 */
public sealed interface Requirement {

  /** The {@code type} value in policy.json. */
  String type();

  /** Accepts any image: the explicit way to say a scope needs no signature. */
  record InsecureAcceptAnything() implements Requirement {
    @Override
    public String type() {
      return "insecureAcceptAnything";
    }
  }

  /** Rejects every image. */
  record Reject() implements Requirement {
    @Override
    public String type() {
      return "reject";
    }
  }

  /**
   * A simple-signing (OpenPGP) signature by one of {@code keys} whose claimed identity satisfies
   * {@code signedIdentity}. Only {@code keyType: GPGKeys} exists in bootj.
   */
  record SignedBy(KeySource keys, SignedIdentity signedIdentity) implements Requirement {
    @Override
    public String type() {
      return "signedBy";
    }
  }

  /**
   * A sigstore (cosign) signature by one of {@code keys} whose claimed identity satisfies
   * {@code signedIdentity}. Fulcio certificates, Rekor and PKI are not supported yet.
   */
  record SigstoreSigned(KeySource keys, SignedIdentity signedIdentity) implements Requirement {
    @Override
    public String type() {
      return "sigstoreSigned";
    }
  }
}
