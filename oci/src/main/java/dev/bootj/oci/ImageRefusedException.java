package dev.bootj.oci;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;

/**
 * The signature policy refused an image ({@link BootjException.Kind#UNTRUSTED}); thrown once the
 * manifest digest is known and before anything of the image is stored. It carries that digest so
 * that a question rather than an action ({@code upgrade --check}) can report the refusal as data.
 */
public final class ImageRefusedException extends BootjException {

  private final Digest manifestDigest;

  ImageRefusedException(BootjException refusal, Digest manifestDigest) {
    super(Kind.UNTRUSTED, refusal.getMessage(), refusal);
    this.manifestDigest = manifestDigest;
  }

  /** The manifest the reference resolved to, which was refused. */
  public Digest manifestDigest() {
    return manifestDigest;
  }
}
