package dev.bootj.oci.trust.sigstore;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The PKCS#8 private key a cosign key file decrypts to, as Go's {@code x509.MarshalPKCS8PrivateKey}
 * writes it: ECDSA (P-256, P-384, P-521), RSA or Ed25519. Reading also derives the public half,
 * which PKCS#8 need not carry, so a signer can say which public key verifies it.
 */
final class CosignKeyFilePkcs8 {

  private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
      SECObjectIdentifiers.secp256r1, "P-256",
      SECObjectIdentifiers.secp384r1, "P-384",
      SECObjectIdentifiers.secp521r1, "P-521");

  /** RFC 8410's Ed25519 (bcprov keeps its constant in an internal package). */
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private CosignKeyFilePkcs8() {}

  /** The key pair in {@code der}; {@code source} names the file in messages. */
  static KeyPair decode(byte[] der, String source) throws BootjException {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw CosignKeyFileEnvelope.malformed(source, "it decrypts to something that is not a PKCS#8 private key");
    }
    ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    try {
      if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        return ecdsa(info, der, source);
      }
      if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        return rsa(der, source);
      }
      if (algorithm.equals(ID_ED25519)) {
        return ed25519(info, der);
      }
    } catch (BootjException e) {
      throw e;
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw CosignKeyFileEnvelope.malformed(source, "its " + algorithm + " private key does not parse ("
          + e.getMessage() + ")");
    }
    throw new BootjException(BootjException.Kind.SYSTEM, source + " holds a private key of algorithm " + algorithm
        + "; bootj reads ECDSA, RSA and Ed25519 keys");
  }

  /**
   * {@code key} as PKCS#8 DER. An ECDSA key is written as Go writes it: the named curve in the
   * algorithm identifier and the public point inside the SEC 1 structure, which the JDK's own
   * encoding leaves out.
   */
  static byte[] encode(KeyPair pair) {
    try {
      if (pair.getPrivate() instanceof ECPrivateKey priv && pair.getPublic() instanceof ECPublicKey pub) {
        ASN1ObjectIdentifier curve = curveOf(priv);
        X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
        byte[] point = x9.getCurve().createPoint(pub.getW().getAffineX(), pub.getW().getAffineY()).getEncoded(false);
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(x9.getN().bitLength(), priv.getS(),
            new DERBitString(point), null);
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1)
            .getEncoded();
      }
      return pair.getPrivate().getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode a private key", e);
    }
  }

  /** The name cosign's documentation uses for the key's curve, or null when it is not one cosign makes. */
  static String curveName(ECPrivateKey key) {
    try {
      return CURVES.get(curveOf(key));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ASN1ObjectIdentifier curveOf(ECPrivateKey key) {
    BigInteger order = key.getParams().getOrder();
    BigInteger gx = key.getParams().getGenerator().getAffineX();
    for (ASN1ObjectIdentifier curve : CURVES.keySet()) {
      X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
      if (x9.getN().equals(order) && x9.getG().normalize().getAffineXCoord().toBigInteger().equals(gx)) {
        return curve;
      }
    }
    throw new IllegalArgumentException("the key's curve is not P-256, P-384 or P-521");
  }

  private static KeyPair ecdsa(PrivateKeyInfo info, byte[] der, String source)
      throws GeneralSecurityException, BootjException {
    var parameters = info.getPrivateKeyAlgorithm().getParameters();
    if (!(parameters instanceof ASN1ObjectIdentifier curve) || !CURVES.containsKey(curve)) {
      String named = parameters instanceof ASN1ObjectIdentifier oid ? "curve " + oid : "an explicitly given curve";
      throw new BootjException(BootjException.Kind.SYSTEM, source + " holds an ECDSA key on " + named
          + "; bootj reads keys on P-256, P-384 and P-521");
    }
    KeyFactory factory = KeyFactory.getInstance("EC");
    ECPrivateKey priv = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der));
    var q = ECNamedCurveTable.getByOID(curve).getG().multiply(priv.getS()).normalize();
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    PublicKey pub = factory.generatePublic(new ECPublicKeySpec(w, priv.getParams()));
    return new KeyPair(pub, priv);
  }

  private static KeyPair rsa(byte[] der, String source) throws GeneralSecurityException, BootjException {
    KeyFactory factory = KeyFactory.getInstance("RSA");
    PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
    if (!(priv instanceof RSAPrivateCrtKey crt)) {
      throw new BootjException(BootjException.Kind.SYSTEM, source
          + " holds an RSA key without its public exponent; bootj reads RSA keys as cosign writes them");
    }
    PublicKey pub = factory.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    return new KeyPair(pub, priv);
  }

  private static KeyPair ed25519(PrivateKeyInfo info, byte[] der) throws GeneralSecurityException, IOException {
    KeyFactory factory = KeyFactory.getInstance("Ed25519");
    PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
    byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    byte[] point = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
    byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(ID_ED25519), point)
        .getEncoded();
    return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(spki)), priv);
  }
}
