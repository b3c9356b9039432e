package dev.bootj.oci.trust.simplesigning;

import dev.bootj.oci.trust.simplesigning.InvalidSignatureException.Problem;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies simple-signing signatures as containers/image writes them ({@code skopeo copy
 * --sign-by}, {@code gpg --sign}): an OpenPGP signed message, binary or ASCII-armored, that is
 * exactly one one-pass signature, one literal data packet holding the JSON payload and one
 * signature, optionally inside one compressed packet. Detached and cleartext signatures,
 * encrypted messages and several signatures in one message are refused, as containers/image
 * refuses any signature count other than one.
 *
 * <p>As gpg, through which containers/image verifies, the key must be valid both when it signed
 * and now: not expired, not revoked, allowed to sign (a subkey with a valid binding). Bouncy
 * Castle's default OpenPGP policy decides which algorithms are still acceptable (it refuses MD5
 * and SHA-1 signatures and RSA keys under 2048 bits). Only binary-document and text-document
 * signatures count.
 */
public final class SimpleSigningVerifier {

  /** An attached signature over a payload is a few hundred bytes to a few kilobytes. */
  public static final int MAX_SIGNATURE_BYTES = 64 * 1024;
  // Bounds what a compressed packet may expand to, so a small signature cannot inflate to gigabytes.
  private static final int MAX_DECOMPRESSED_BYTES = 4 * MAX_SIGNATURE_BYTES;

  private final OpenPgpKeyring keyring;
  private final Clock clock;

  public SimpleSigningVerifier(OpenPgpKeyring keyring) {
    this(keyring, Clock.systemUTC());
  }

  /** @param clock decides "now" for key expiry, revocation and signature expiry */
  public SimpleSigningVerifier(OpenPgpKeyring keyring, Clock clock) {
    this.keyring = keyring;
    this.clock = clock;
  }

  /**
   * Checks one signature file and returns what it signed and which trusted key signed it.
   *
   * @throws InvalidSignatureException when the signature does not count, saying why
   */
  public VerifiedSignature verify(byte[] signatureFile) throws InvalidSignatureException {
    if (signatureFile.length > MAX_SIGNATURE_BYTES) {
      throw malformed("it is " + signatureFile.length + " bytes, more than the " + MAX_SIGNATURE_BYTES
          + " a simple-signing signature may have");
    }
    SignedMessage message = SignedMessage.read(signatureFile);
    OpenPGPComponentKey key = signingKey(message.signature());
    if (key == null) {
      throw new InvalidSignatureException(Problem.UNTRUSTED_KEY,
          "key " + issuerText(message) + " is not among the trusted keys");
    }
    OpenPGPDocumentSignature checked = new OpenPGPDocumentSignature(message.signature(), key);
    try {
      message.onePass().init(new BcPGPContentVerifierBuilderProvider(), key.getPGPPublicKey());
      message.onePass().update(message.payload());
      if (!checked.verify(message.onePass())) {
        throw new InvalidSignatureException(Problem.BAD_SIGNATURE, "the signature by key "
            + OpenPgpKeyring.fingerprint(key.getCertificate())
            + " does not match its payload: the payload was altered, or the signature is corrupt");
      }
    } catch (PGPException | RuntimeException e) {
      throw new InvalidSignatureException(Problem.BAD_SIGNATURE,
          "the signature cannot be checked with key " + OpenPgpKeyring.fingerprint(key.getCertificate()) + ": " + e.getMessage(), e);
    }
    requireValidKeyAndSignature(checked, key);
    SignaturePayload payload = SignaturePayload.parse(message.payload(), SignaturePayload.Format.SIMPLE_SIGNING);
    return new VerifiedSignature(OpenPgpKeyring.fingerprint(key.getCertificate()), payload);
  }

  private OpenPGPComponentKey signingKey(PGPSignature signature) {
    for (OpenPGPCertificate certificate : keyring.certificates()) {
      OpenPGPComponentKey key = certificate.getSigningKeyFor(signature);
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  private void requireValidKeyAndSignature(OpenPGPDocumentSignature signature, OpenPGPComponentKey key)
      throws InvalidSignatureException {
    String fingerprint = OpenPgpKeyring.fingerprint(key.getCertificate());
    int hash = signature.getSignature().getHashAlgorithm();
    if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.SHA1 || hash == HashAlgorithmTags.RIPEMD160) {
      throw new InvalidSignatureException(Problem.BAD_SIGNATURE,
          "the signature by key " + fingerprint + " uses a broken hash algorithm (OpenPGP hash " + hash + "); sign again with SHA-256 or better");
    }
    Date now = Date.from(clock.instant());
    Date expires = signature.getExpirationTime();
    if (expires != null && !now.before(expires)) {
      throw new InvalidSignatureException(Problem.BAD_SIGNATURE,
          "the signature by key " + fingerprint + " expired on " + expires.toInstant());
    }
    boolean validThen;
    boolean validNow;
    try {
      validThen = signature.isValidAt(signature.getCreationTime());
      validNow = signature.isValidAt(now);
    } catch (Exception e) {
      throw new InvalidSignatureException(Problem.BAD_SIGNATURE,
          "the signature by key " + fingerprint + " is not acceptable: " + e.getMessage(), e);
    }
    if (!validThen || !validNow) {
      throw new InvalidSignatureException(Problem.UNTRUSTED_KEY,
          "the trusted key " + fingerprint + " signed it, but " + whyInvalid(key, now, validThen));
    }
  }

  private static String whyInvalid(OpenPGPComponentKey key, Date now, boolean validThen) {
    OpenPGPCertificate certificate = key.getCertificate();
    if (now.before(key.getCreationTime())) {
      // A machine without a working clock (no RTC battery) lands here: gpg refuses such keys too.
      return "the key was created on " + key.getCreationTime().toInstant() + ", after this machine's clock time "
          + now.toInstant() + "; set the clock";
    }
    if (certificate.getPrimaryKey().getRevocation() != null || key.getRevocation() != null) {
      return "the key has been revoked";
    }
    for (OpenPGPComponentKey k : List.of(certificate.getPrimaryKey(), key)) {
      Date expiry = k.getKeyExpirationDateAt(validThen ? now : key.getCreationTime());
      if (expiry != null && !now.before(expiry)) {
        return "the key expired on " + expiry.toInstant();
      }
    }
    return validThen ? "the key is no longer valid for signing" : "the key was not a valid signing key when it signed";
  }

  private static String issuerText(SignedMessage message) {
    KeyIdentifier issuer = OpenPGPDocumentSignature.getMostExpressiveIdentifier(message.signature().getKeyIdentifiers());
    if (issuer == null || issuer.isWildcard()) {
      issuer = message.onePass().getKeyIdentifier();
    }
    if (issuer.getFingerprint() != null) {
      return HexFormat.of().formatHex(issuer.getFingerprint()).toUpperCase(Locale.ROOT);
    }
    return "ID " + String.format(Locale.ROOT, "%016X", issuer.getKeyId());
  }

  private static InvalidSignatureException malformed(String message) {
    return new InvalidSignatureException(Problem.MALFORMED, message);
  }

  /** The parts of an attached-signature message, read strictly in the one order it may have. */
  private record SignedMessage(PGPOnePassSignature onePass, byte[] payload, PGPSignature signature) {

    static SignedMessage read(byte[] bytes) throws InvalidSignatureException {
      try {
        InputStream decoded = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes));
        BcPGPObjectFactory outer = new BcPGPObjectFactory(decoded);
        Object first = nextObject(outer);
        if (first instanceof PGPCompressedData compressed) {
          BcPGPObjectFactory inner =
              new BcPGPObjectFactory(new BoundedInputStream(compressed.getDataStream(), MAX_DECOMPRESSED_BYTES));
          SignedMessage message = readParts(inner, nextObject(inner));
          if (nextObject(outer) != null) {
            throw malformed("more data follows the compressed signed message");
          }
          return message;
        }
        return readParts(outer, first);
      } catch (IOException | PGPException | RuntimeException e) {
        throw malformed("it is not an OpenPGP signed message: " + e.getMessage());
      }
    }

    private static SignedMessage readParts(BcPGPObjectFactory factory, Object first)
        throws IOException, InvalidSignatureException {
      if (!(first instanceof PGPOnePassSignatureList onePasses)) {
        throw malformed("it is not an attached signature (gpg --sign): it starts with "
            + describe(first) + " instead of a one-pass signature");
      }
      if (onePasses.size() != 1) {
        throw malformed("it holds " + onePasses.size() + " signatures; a simple-signing signature holds exactly one");
      }
      if (!(nextObject(factory) instanceof PGPLiteralData literal)) {
        throw malformed("the one-pass signature is not followed by the signed payload");
      }
      byte[] payload = literal.getDataStream().readNBytes(SignaturePayload.MAX_BYTES + 1);
      if (payload.length > SignaturePayload.MAX_BYTES) {
        throw malformed("the signed payload is larger than " + SignaturePayload.MAX_BYTES + " bytes");
      }
      if (literal.getDataStream().read() >= 0) {
        throw malformed("the signed payload was not read to its end");
      }
      if (!(nextObject(factory) instanceof PGPSignatureList signatures) || signatures.size() != 1) {
        throw malformed("the signed payload is not followed by exactly one signature");
      }
      if (nextObject(factory) != null) {
        throw malformed("more data follows the signature");
      }
      PGPOnePassSignature onePass = onePasses.get(0);
      PGPSignature signature = signatures.get(0);
      int type = signature.getSignatureType();
      if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
        throw malformed("it is an OpenPGP signature of type " + type + ", not a signature over a document");
      }
      if (onePass.getSignatureType() != type || onePass.getHashAlgorithm() != signature.getHashAlgorithm()
          || onePass.getKeyAlgorithm() != signature.getKeyAlgorithm()
          || !(signature.getKeyIdentifiers().isEmpty()
              || KeyIdentifier.matches(signature.getKeyIdentifiers(), onePass.getKeyIdentifier(), false))) {
        throw malformed("its one-pass signature and its signature disagree on the key or algorithms");
      }
      return new SignedMessage(onePass, payload, signature);
    }

    // Marker packets carry nothing and must be ignored (RFC 9580, 5.8).
    private static Object nextObject(BcPGPObjectFactory factory) throws IOException {
      Object next = factory.nextObject();
      while (next instanceof PGPMarker) {
        next = factory.nextObject();
      }
      return next;
    }

    private static String describe(Object packet) {
      return packet == null ? "nothing" : packet.getClass().getSimpleName().replaceFirst("^PGP", "");
    }
  }

  /** Fails once more than {@code limit} bytes have been read. */
  private static final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      if (skipped > 0) {
        count(skipped);
      }
      return skipped;
    }

    private void count(long n) throws IOException {
      remaining -= n;
      if (remaining < 0) {
        throw new IOException("the compressed signed message expands to more than " + MAX_DECOMPRESSED_BYTES + " bytes");
      }
    }
  }
}
