package dev.bootj.oci.registry;

import java.io.IOException;

/**
 * A registry answered a blob request with a status that is not a success: the status line, and
 * the headers a retry or an authentication needs.
 */
final class HttpStatusException extends IOException {

  private final int status;
  private final String retryAfter;
  private final String authenticate;

  HttpStatusException(int status, String reason, String retryAfter, String authenticate) {
    super(status + (reason == null || reason.isBlank() ? "" : " " + reason));
    this.status = status;
    this.retryAfter = retryAfter;
    this.authenticate = authenticate;
  }

  int status() {
    return status;
  }

  /** The Retry-After header as sent, or null. */
  String retryAfter() {
    return retryAfter;
  }

  /** The WWW-Authenticate header as sent, or null. */
  String authenticate() {
    return authenticate;
  }
}
