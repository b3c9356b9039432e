package dev.bootj.oci.registry;

import java.io.IOException;

/** A blob's body ended, without an error from the connection, before all of its bytes arrived. */
final class TransferCutException extends IOException {

  TransferCutException(long received, long expected) {
    super("the connection ended after " + received + " of " + expected + " bytes");
  }
}
