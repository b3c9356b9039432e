package dev.bootj.oci.registry;

import java.io.IOException;

/** A request failed transiently on its first attempt and on every retry the policy allowed. */
final class RetriesExhaustedException extends IOException {

  private final int retries;

  RetriesExhaustedException(int retries, Throwable last) {
    super(last.getMessage(), last);
    this.retries = retries;
  }

  int retries() {
    return retries;
  }
}
