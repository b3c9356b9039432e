package dev.bootj.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrierTest {

  private final List<RetryNotice> notices = new ArrayList<>();
  private final List<Duration> slept = new ArrayList<>();
  private final Retrier retrier = new Retrier(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5)),
      notices::add, slept::add, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void aTransientFailureIsRetriedAfterTheBackoffAndReported() throws IOException {
    int[] calls = {0};
    String result = retrier.call("manifest of r/x:1", () -> {
      if (calls[0]++ < 2) {
        throw new HttpStatusException(503, "Service Unavailable", null, null);
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(notices).extracting(RetryNotice::reason).containsOnly("503 Service Unavailable");
    assertThat(notices).extracting(RetryNotice::retry).containsExactly(1, 2);
    assertThat(notices.get(0).maxRetries()).isEqualTo(3);
    assertThat(notices.get(0).subject()).isEqualTo("manifest of r/x:1");
  }

  @Test
  void retryAfterIsHonoured() throws IOException {
    int[] calls = {0};
    retrier.call("x", () -> {
      if (calls[0]++ == 0) {
        throw new HttpStatusException(429, "Too Many Requests", "7", null);
      }
      return null;
    });
    assertThat(slept).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void theRetriesRunOut() {
    int[] calls = {0};
    assertThatThrownBy(() -> retrier.call("x", () -> {
      calls[0]++;
      throw new HttpStatusException(503, "Service Unavailable", null, null);
    })).isInstanceOf(RetriesExhaustedException.class).hasCauseInstanceOf(HttpStatusException.class);
    assertThat(calls[0]).isEqualTo(4); // the first attempt and 3 retries
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void aPermanentFailureIsThrownAtOnce() {
    int[] calls = {0};
    assertThatThrownBy(() -> retrier.call("x", () -> {
      calls[0]++;
      throw new HttpStatusException(404, "Not Found", null, null);
    })).isInstanceOf(HttpStatusException.class);
    assertThat(calls[0]).isEqualTo(1);
    assertThat(notices).isEmpty();
  }

  @Test
  void aDownloadThatProgressedStartsItsCountAfresh() throws IOException {
    long[] position = {0};
    int[] calls = {0};
    Digest blob = Digest.of(new byte[] {1});
    // Six cuts, each after more bytes: more than the 3 retries, yet every one moved the download on.
    retrier.call("blob", blob, () -> position[0], () -> {
      if (calls[0]++ < 6) {
        position[0] += 10;
        throw new SocketException("Connection reset");
      }
      return null;
    });
    assertThat(notices).extracting(RetryNotice::retry).containsOnly(1);
    assertThat(notices).extracting(RetryNotice::resumeAt).containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
    assertThat(notices.get(0).blob()).isEqualTo(blob);
  }

  @Test
  void aRefusedConnectionIsRetriedOnlyOnceTheRegistryHasAnswered() throws IOException {
    assertThatThrownBy(() -> retrier.call("x", () -> {
      throw new java.net.ConnectException("Connection refused");
    })).isInstanceOf(java.net.ConnectException.class);
    retrier.registryAnswered();
    int[] calls = {0};
    retrier.call("x", () -> {
      if (calls[0]++ == 0) {
        throw new java.net.ConnectException("Connection refused");
      }
      return null;
    });
    assertThat(notices).extracting(RetryNotice::reason).containsExactly("connection refused");
  }

  @Test
  void zeroRetriesThrowsTheFailureItself() {
    Retrier never = new Retrier(new RetryPolicy(0, Duration.ZERO, Duration.ofSeconds(1)), notices::add, slept::add, Clock.systemUTC());
    assertThatThrownBy(() -> never.call("x", () -> {
      throw new SocketException("Connection reset");
    })).isInstanceOf(SocketException.class);
    assertThat(notices).isEmpty();
  }
}
