package dev.bootj.oci.reference;

import dev.bootj.common.BootjException;

/** Content whose SHA-256 is not the digest it was fetched under. It is never stored or used. */
public class DigestMismatchException extends BootjException {

  public DigestMismatchException(String what, Digest expected, Digest actual) {
    super(
        Kind.INTEGRITY,
        what + " does not match its digest: expected " + expected + ", got " + actual
            + "; the registry or the file is corrupt or has been tampered with");
  }
}
