package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.http.ResponseException;
import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs a registry request under a {@link RetryPolicy}: a transient failure is told to the listener
 * and tried again after the policy's wait, until the retries run out. A blob download that got
 * further than the attempt before it counts as a fresh start, so a long transfer over a flaky line
 * is bounded by its progress, not by a fixed number of cuts.
 */
final class Retrier {

  /** One try of the request. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws IOException;
  }

  /** Waits; a seam so tests do not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedIOException;
  }

  static final Sleeper THREAD_SLEEP = duration -> {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  };

  private final RetryPolicy policy;
  private final Consumer<RetryNotice> listener;
  private final Sleeper sleeper;
  private final Clock clock;
  private volatile boolean answered;

  Retrier(RetryPolicy policy, Consumer<RetryNotice> listener, Sleeper sleeper, Clock clock) {
    this.policy = policy;
    this.listener = listener;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  Retrier(RetryPolicy policy, Consumer<RetryNotice> listener) {
    this(policy, listener, THREAD_SLEEP, Clock.systemUTC());
  }

  RetryPolicy policy() {
    return policy;
  }

  /** The registry has answered a request (whatever its status): from now on a refused connection is a restart. */
  void registryAnswered() {
    answered = true;
  }

  /** Runs a request that has no partial result (a manifest, a token). */
  <T> T call(String subject, Attempt<T> attempt) throws IOException {
    return call(subject, null, () -> 0, attempt);
  }

  /**
   * @param blob the blob being fetched, or null
   * @param position how many bytes have arrived so far, over all attempts
   */
  <T> T call(String subject, Digest blob, LongSupplier position, Attempt<T> attempt) throws IOException {
    int failures = 0;
    long reached = position.getAsLong();
    while (true) {
      try {
        return attempt.run();
      } catch (IOException | RuntimeException e) {
        if (!RetryPolicy.isTransient(e, answered)) {
          throw e;
        }
        long now = position.getAsLong();
        if (now > reached) {
          failures = 0;
          reached = now;
        }
        failures++;
        if (failures > policy.times()) {
          if (policy.times() == 0 && e instanceof IOException io) {
            throw io;
          }
          throw new RetriesExhaustedException(policy.times(), e);
        }
        Duration wait = policy.wait(failures, retryAfter(e));
        listener.accept(new RetryNotice(subject, blob, describe(e), wait, failures, policy.times(), now));
        sleeper.sleep(wait);
        TerminationSignals.checkpoint();
      }
    }
  }

  private Optional<Duration> retryAfter(Throwable failure) {
    if (failure instanceof ResponseException r && r.getHeaders() != null) {
      return RetryPolicy.parseRetryAfter(r.getHeaders().getFirstHeaderStringValue("Retry-After"), clock.instant());
    }
    if (failure instanceof HttpStatusException h) {
      return RetryPolicy.parseRetryAfter(h.retryAfter(), clock.instant());
    }
    return Optional.empty();
  }

  /** A short phrase for what went wrong, as a person reads it in a progress line. */
  String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ResponseException r) {
        return firstLine(r.getMessage(), "HTTP " + r.getStatusCode());
      }
      if (t instanceof HttpStatusException h) {
        return h.getMessage();
      }
      if (t instanceof SocketTimeoutException) {
        return "no data for " + seconds(policy.stallTimeout()) + " s";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof TransferCutException) {
        return t.getMessage();
      }
    }
    String message = firstLine(failure.getMessage(), failure.getClass().getSimpleName());
    return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
  }

  private static long seconds(Duration duration) {
    return Math.max(1, duration.toSeconds());
  }

  private static String firstLine(String text, String otherwise) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }
}
