package dev.bootj.oci.reference;

/** An image reference that cannot be parsed; the message says why. A usage error, not a failure. */
public class InvalidReferenceException extends IllegalArgumentException {

  public InvalidReferenceException(String message) {
    super(message);
  }
}
