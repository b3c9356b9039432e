package dev.bootj.oci.trust.simplesigning;

/**
 * One signature that does not count: its bytes are malformed, no trusted key made it, the
 * cryptographic check failed or the signed payload is not a valid payload. The policy evaluator
 * skips such a signature and, when no other signature passes, explains the refusal with the
 * {@link #problem()} that got furthest.
 */
public final class InvalidSignatureException extends Exception {

  /** How far a signature got before it was refused, from the least to the most progress. */
  public enum Problem {
    /** Not a signature of the expected format at all (not OpenPGP, not base64, too large). */
    MALFORMED,
    /** Well formed, but made by no key the policy trusts (or by a trusted key that is expired, revoked or not for signing). */
    UNTRUSTED_KEY,
    /** A trusted key, but the signature does not verify: the payload was altered, or the signature is corrupt. */
    BAD_SIGNATURE,
    /** Verified, but the signed payload is not a valid payload of its type. */
    INVALID_PAYLOAD
  }

  private final Problem problem;

  public InvalidSignatureException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public InvalidSignatureException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
