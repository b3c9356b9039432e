package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.http.ResponseException;
import dev.bootj.common.BootjException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * When a registry request that failed is tried again, and after how long. Only failures that a
 * later attempt can cure are retried: 408, 429 and 5xx answers (not 501 or 505), and a connection
 * reset, cut or silent for {@link #stallTimeout()}, or refused by a registry that answered before. A 401/403/404, a bad certificate, a
 * name that does not resolve and anything bootj itself refused (a digest mismatch, a malformed
 * manifest) fail at once. The wait doubles from {@link #delay()} on each retry, as podman's does
 * without --retry-delay, unless the registry said how long to wait (Retry-After).
 *
 * @param times how many times a request is tried again after its first failure (podman's and
 *     skopeo's --retry-times); 0 never retries
 * @param delay the wait before the first retry (--retry-delay)
 * @param stallTimeout how long a connection may stay silent (while connecting, awaiting an answer or
 *     mid-body) before it is abandoned and retried
 */
public record RetryPolicy(int times, Duration delay, Duration stallTimeout) {

  /** Five retries, from one second (1, 2, 4, 8, 16 s), abandoning a connection silent for a minute. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

  /** No single wait is longer, however many retries or whatever a registry's Retry-After asks. */
  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  /** What the Apache HTTP client throws when a body ends early; known by name as it is jib's runtime dependency. */
  private static final Set<String> CUT_BODY = Set.of(
      "ConnectionClosedException", "NoHttpResponseException", "TruncatedChunkException", "MalformedChunkCodingException");

  private static final Set<Integer> PERMANENT_SERVER_ERRORS = Set.of(501, 505);

  public RetryPolicy {
    if (times < 0) {
      throw new IllegalArgumentException("retry times must not be negative: " + times);
    }
    if (delay.isNegative() || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("retry delay must not be negative and the stall timeout must be positive");
    }
  }

  /** The same policy with another number of retries. */
  public RetryPolicy withTimes(int other) {
    return new RetryPolicy(other, delay, stallTimeout);
  }

  /**
   * How long to wait before retry number {@code retry} (1 for the first): what the registry asked
   * for in Retry-After when it did, else {@link #delay()} doubled {@code retry - 1} times; never
   * more than {@link #MAX_DELAY}.
   */
  Duration wait(int retry, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      return min(retryAfter.get(), MAX_DELAY);
    }
    int doublings = Math.min(retry - 1, 30);
    Duration backoff = delay.multipliedBy(1L << doublings);
    return min(backoff, MAX_DELAY);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Whether another attempt may succeed where {@code failure} happened, with a registry that has answered before. */
  static boolean isTransient(Throwable failure) {
    return isTransient(failure, true);
  }

  /**
   * Whether another attempt may succeed where {@code failure} happened.
   *
   * @param answeredBefore whether the registry has answered a request of this pull; a connection
   *     refused by a registry that never answered is a wrong address, not a restart, and fails at once
   */
  static boolean isTransient(Throwable failure, boolean answeredBefore) {
    if (failure instanceof BootjException) {
      return false; // bootj's own verdict on what arrived: a digest mismatch, a manifest too large
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ResponseException r) {
        return isTransientStatus(r.getStatusCode());
      }
      if (t instanceof HttpStatusException h) {
        return isTransientStatus(h.status());
      }
      if (t instanceof SocketTimeoutException) {
        return true;
      }
      if (t instanceof ConnectException) {
        return answeredBefore;
      }
      if (t instanceof InterruptedIOException || t instanceof UnknownHostException) {
        return false; // the user stopped us; a name that does not resolve will not resolve in a second either
      }
      if (t instanceof SSLException && !(t.getCause() instanceof SocketException)) {
        return false; // a certificate or protocol problem; TLS over a reset connection is a reset
      }
      if (t instanceof SocketException || t instanceof EOFException || t instanceof TransferCutException
          || CUT_BODY.contains(t.getClass().getSimpleName())) {
        return true;
      }
    }
    return false;
  }

  static boolean isTransientStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status < 600 && !PERMANENT_SERVER_ERRORS.contains(status));
  }

  /**
   * A Retry-After header's wait: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), measured from
   * {@code now}; empty when absent or unreadable.
   */
  static Optional<Duration> parseRetryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
