package dev.bootj.oci.trust.sigstore;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A public key a {@code sigstoreSigned} requirement trusts, as cosign writes it
 * ({@code cosign.pub}: a PEM {@code PUBLIC KEY}, a DER SubjectPublicKeyInfo), and the signature
 * check sigstore applies for its type: ECDSA on P-256, P-384 or P-521 over SHA-256 with a DER
 * signature (cosign's default keys are P-256), RSA PKCS#1 v1.5 over SHA-256, or pure Ed25519.
 * RSA keys under 2048 bits are refused, where sigstore would still use them.
 */
public final class SigstorePublicKey {

  /** A PEM public key is well under a kilobyte for these algorithms; 64 KiB leaves room for comments around it. */
  public static final int MAX_PEM_BYTES = 64 * 1024;
  private static final int MIN_RSA_BITS = 2048;

  private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
      SECObjectIdentifiers.secp256r1, "P-256",
      SECObjectIdentifiers.secp384r1, "P-384",
      SECObjectIdentifiers.secp521r1, "P-521");

  private final PublicKey key;
  private final String signatureAlgorithm;
  private final String description;
  private final String fingerprint;

  private SigstorePublicKey(PublicKey key, String signatureAlgorithm, String description, String fingerprint) {
    this.key = key;
    this.signatureAlgorithm = signatureAlgorithm;
    this.description = description;
    this.fingerprint = fingerprint;
  }

  /**
   * Reads the first PEM block of {@code pem}, which must be a {@code PUBLIC KEY} of a supported type.
   *
   * @throws InvalidKeyException saying why it is not a usable sigstore public key
   */
  public static SigstorePublicKey parsePem(byte[] pem) throws InvalidKeyException {
    if (pem.length > MAX_PEM_BYTES) {
      throw new InvalidKeyException("it is " + pem.length + " bytes, more than the " + MAX_PEM_BYTES
          + " a PEM public key may have");
    }
    PemObject block;
    try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      block = reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyException("it is not a PEM file: " + e.getMessage(), e);
    }
    if (block == null) {
      throw new InvalidKeyException("it holds no PEM block; a cosign public key starts with -----BEGIN PUBLIC KEY-----");
    }
    if (!block.getType().equals("PUBLIC KEY")) {
      throw new InvalidKeyException("it holds a PEM \"" + block.getType()
          + "\", not a \"PUBLIC KEY\" (a SubjectPublicKeyInfo, as cosign.pub is)");
    }
    return fromDer(block.getContent());
  }

  private static SigstorePublicKey fromDer(byte[] der) throws InvalidKeyException {
    SubjectPublicKeyInfo info;
    byte[] canonical;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
      canonical = info.getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyException("its PUBLIC KEY block is not a DER SubjectPublicKeyInfo: " + e.getMessage(), e);
    }
    ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
    String fingerprint = HexFormat.of().formatHex(sha256(canonical));
    try {
      if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        String curve = info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier named ? CURVES.get(named) : null;
        if (curve == null) {
          throw new InvalidKeyException("it is an ECDSA key on a curve sigstore does not use; use P-256, P-384 or P-521");
        }
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(canonical));
        return new SigstorePublicKey(key, "SHA256withECDSA", "ECDSA " + curve, fingerprint);
      }
      if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(canonical));
        int bits = key.getModulus().bitLength();
        if (bits < MIN_RSA_BITS || key.getPublicExponent().compareTo(BigInteger.ONE) <= 0) {
          throw new InvalidKeyException("it is a " + bits + "-bit RSA key; bootj trusts RSA keys of " + MIN_RSA_BITS + " bits or more");
        }
        return new SigstorePublicKey(key, "SHA256withRSA", "RSA " + bits, fingerprint);
      }
      if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(canonical));
        return new SigstorePublicKey(key, "Ed25519", "Ed25519", fingerprint);
      }
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException("its key cannot be read: " + e.getMessage(), e);
    }
    throw new InvalidKeyException("it is a key of algorithm " + algorithm.getId()
        + "; sigstore public keys are ECDSA, RSA or Ed25519");
  }

  /** Lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo: the identity bootj reports for it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The key type for people: {@code ECDSA P-256}, {@code RSA 3072}, {@code Ed25519}. */
  public String description() {
    return description;
  }

  /** Whether {@code signature} is this key's signature over exactly {@code payload}. */
  public boolean verifies(byte[] payload, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(signatureAlgorithm);
      verifier.initVerify(key);
      verifier.update(payload);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A signature that is not even well-formed DER (or of the wrong length) is simply not this key's.
      return false;
    }
  }

  @Override
  public String toString() {
    return description + " " + fingerprint;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
