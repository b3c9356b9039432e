package dev.bootj.oci.trust.simplesigning;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;

/**
 * The OpenPGP public keys a {@code signedBy} requirement trusts: the certificates of one or more
 * exported keyrings ({@code gpg --export}, binary or ASCII-armored, one or several keys each).
 * A signature by a certificate's primary key or by one of its signing subkeys counts as a
 * signature by that certificate.
 */
public final class OpenPgpKeyring {

  /** A keyring file holds a handful of keys; a bigger one is not what the policy meant. */
  public static final int MAX_BYTES = 1024 * 1024;

  private final List<OpenPGPCertificate> certificates;

  private OpenPgpKeyring(List<OpenPGPCertificate> certificates) {
    this.certificates = List.copyOf(certificates);
  }

  /**
   * Reads one exported keyring.
   *
   * @throws InvalidKeyException when the bytes are not an OpenPGP public keyring or hold no key
   */
  public static OpenPgpKeyring parse(byte[] keyring) throws InvalidKeyException {
    if (keyring.length > MAX_BYTES) {
      throw new InvalidKeyException("it is " + keyring.length + " bytes, more than the " + MAX_BYTES
          + " bytes a keyring of public keys may have");
    }
    List<OpenPGPCertificate> read;
    try {
      read = new OpenPGPKeyReader().parseCertificates(keyring);
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyException("it is not an exported OpenPGP public keyring (gpg --export [--armor]): "
          + e.getMessage(), e);
    }
    if (read.isEmpty()) {
      throw new InvalidKeyException("it holds no OpenPGP public key");
    }
    return new OpenPgpKeyring(read);
  }

  /** All the keys of {@code keyrings} together. */
  public static OpenPgpKeyring union(List<OpenPgpKeyring> keyrings) {
    List<OpenPGPCertificate> all = new ArrayList<>();
    keyrings.forEach(k -> all.addAll(k.certificates));
    return new OpenPgpKeyring(all);
  }

  /** The primary key fingerprints, uppercase hex as gpg prints them. */
  public List<String> fingerprints() {
    return certificates.stream().map(OpenPgpKeyring::fingerprint).toList();
  }

  List<OpenPGPCertificate> certificates() {
    return certificates;
  }

  static String fingerprint(OpenPGPCertificate certificate) {
    return HexFormat.of().formatHex(certificate.getFingerprint()).toUpperCase(Locale.ROOT);
  }
}
