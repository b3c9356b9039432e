package dev.bootj.oci.trust.sigstore;

import dev.bootj.common.BootjException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;

/**
 * Signs cosign payloads as cosign does with a key file, so the signature goes unchanged into a
 * {@code .sig} manifest's {@code dev.cosignproject.cosign/signature} annotation:
 * <ul>
 *   <li>ECDSA P-256: SHA-256, the signature ASN.1 DER-encoded (cosign's default key type);
 *   <li>RSA (2048 bits or more): PKCS#1 v1.5 with SHA-256;
 *   <li>Ed25519: pure Ed25519 over the payload itself, which is what containers/image verifies
 *       (cosign 2.x signs with Ed25519ph unless told otherwise).
 * </ul>
 * Other ECDSA curves are refused: containers/image verifies every sigstore signature with
 * SHA-256, while cosign would pair P-384 and P-521 with SHA-384 and SHA-512.
 */
public final class SigstoreSigner {

  /** The annotation that carries the signature on a layer of a cosign signature manifest. */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  private static final int MIN_RSA_BITS = 2048;

  private final PrivateKey key;
  private final String jcaAlgorithm;
  private final String description;

  private SigstoreSigner(PrivateKey key, String jcaAlgorithm, String description) {
    this.key = key;
    this.jcaAlgorithm = jcaAlgorithm;
    this.description = description;
  }

  /**
   * A signer for {@code key}.
   *
   * @param source where the key came from (a file name), for messages
   * @throws BootjException when bootj does not sign with this kind of key
   */
  public static SigstoreSigner of(PrivateKey key, String source) throws BootjException {
    if (key instanceof ECPrivateKey ec) {
      String curve = CosignKeyFilePkcs8.curveName(ec);
      if ("P-256".equals(curve)) {
        return new SigstoreSigner(key, "SHA256withECDSA", "ECDSA P-256 with SHA-256");
      }
      throw unsupported(source, "an ECDSA key on " + (curve == null ? "an unnamed curve" : curve));
    }
    if (key instanceof RSAPrivateKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw unsupported(source, "a " + bits + "-bit RSA key");
      }
      return new SigstoreSigner(key, "SHA256withRSA", "RSA-" + bits + " PKCS#1 v1.5 with SHA-256");
    }
    if (key instanceof EdECPrivateKey ed) {
      if ("Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
        return new SigstoreSigner(key, "Ed25519", "Ed25519");
      }
      throw unsupported(source, "an " + ed.getParams().getName() + " key");
    }
    throw unsupported(source, "a key of type " + key.getAlgorithm());
  }

  /** The signature algorithm, for people: "ECDSA P-256 with SHA-256", "Ed25519", ... */
  public String description() {
    return description;
  }

  /** The raw signature of {@code payload} (DER for ECDSA). */
  public byte[] sign(byte[] payload) {
    try {
      Signature signature = Signature.getInstance(jcaAlgorithm);
      signature.initSign(key);
      signature.update(payload);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      // The key was checked in of(); a JDK without these algorithms is not one bootj runs on.
      throw new IllegalStateException(jcaAlgorithm + " signing failed", e);
    }
  }

  /** The signature of {@code payload} as the {@value #SIGNATURE_ANNOTATION} annotation holds it: standard base64. */
  public String signBase64(byte[] payload) {
    return Base64.getEncoder().encodeToString(sign(payload));
  }

  private static BootjException unsupported(String source, String what) {
    return new BootjException(BootjException.Kind.SYSTEM, source + " holds " + what
        + "; bootj signs with ECDSA P-256, RSA (2048 bits or more) and Ed25519 keys");
  }
}
