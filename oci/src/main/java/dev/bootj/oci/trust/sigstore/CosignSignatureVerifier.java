package dev.bootj.oci.trust.sigstore;

import dev.bootj.oci.trust.simplesigning.InvalidSignatureException;
import dev.bootj.oci.trust.simplesigning.InvalidSignatureException.Problem;
import dev.bootj.oci.trust.simplesigning.SignaturePayload;
import dev.bootj.oci.trust.simplesigning.VerifiedSignature;
import java.util.Base64;
import java.util.List;

/**
 * Verifies one cosign signature (a layer of an image's {@code sha256-<hex>.sig} manifest: the
 * payload blob and the base64 {@code dev.cosignproject.cosign/signature} annotation) against the
 * public keys a {@code sigstoreSigned} requirement trusts, as containers/image does: any trusted
 * key may have made it, and only a verified payload is parsed. Fulcio certificates and Rekor
 * bundles are not looked at.
 */
public final class CosignSignatureVerifier {

  /** Base64 of the largest signature bootj accepts (an RSA-16384 signature is 2,732 characters). */
  public static final int MAX_SIGNATURE_CHARS = 16 * 1024;

  private final List<SigstorePublicKey> keys;

  /** @param keys the trusted keys; at least one */
  public CosignSignatureVerifier(List<SigstorePublicKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a cosign signature needs at least one trusted key to be verified");
    }
    this.keys = List.copyOf(keys);
  }

  /**
   * Checks one signature and returns what it signed and which trusted key signed it.
   *
   * @param payload the layer's bytes, unparsed
   * @param base64Signature the annotation's value, or null when the layer has none
   * @throws InvalidSignatureException when the signature does not count, saying why
   */
  public VerifiedSignature verify(byte[] payload, String base64Signature) throws InvalidSignatureException {
    if (base64Signature == null || base64Signature.isEmpty()) {
      throw malformed("the layer has no dev.cosignproject.cosign/signature annotation");
    }
    if (base64Signature.length() > MAX_SIGNATURE_CHARS) {
      throw malformed("its signature annotation is " + base64Signature.length() + " characters, more than the "
          + MAX_SIGNATURE_CHARS + " a signature may have");
    }
    if (payload.length > SignaturePayload.MAX_BYTES) {
      throw malformed("its payload is " + payload.length + " bytes, more than the " + SignaturePayload.MAX_BYTES
          + " a payload may have");
    }
    byte[] signature;
    try {
      // Go's base64 decoder, which sigstore uses, skips line breaks; nothing else is tolerated.
      signature = Base64.getDecoder().decode(base64Signature.replace("\r", "").replace("\n", ""));
    } catch (IllegalArgumentException e) {
      throw malformed("its signature annotation is not base64: " + e.getMessage());
    }
    for (SigstorePublicKey key : keys) {
      if (key.verifies(payload, signature)) {
        SignaturePayload claimed = SignaturePayload.parse(payload, SignaturePayload.Format.COSIGN);
        return new VerifiedSignature(key.fingerprint(), claimed);
      }
    }
    throw new InvalidSignatureException(Problem.UNTRUSTED_KEY, "no trusted key verifies it (another key made it,"
        + " or its payload was changed after signing)");
  }

  private static InvalidSignatureException malformed(String message) {
    return new InvalidSignatureException(Problem.MALFORMED, message);
  }
}
