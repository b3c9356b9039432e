package dev.bootj.oci.unpack;

import dev.bootj.common.BootjException;

/**
 * A layer that is not a well-formed tar, or whose content the OCI layer rules forbid. The message
 * names the offending entry when there is one.
 */
public class InvalidLayerException extends BootjException {

  public InvalidLayerException(String message) {
    super(Kind.INTEGRITY, message);
  }

  public InvalidLayerException(String message, Throwable cause) {
    super(Kind.INTEGRITY, message, cause);
  }
}
