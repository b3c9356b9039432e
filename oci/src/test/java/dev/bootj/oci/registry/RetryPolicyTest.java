package dev.bootj.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

  @Test
  void theWaitDoublesFromTheDelay() {
    assertThat(policy.wait(1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.wait(2, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.wait(5, Optional.empty())).isEqualTo(Duration.ofSeconds(16));
    assertThat(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(1)).wait(2, Optional.empty())).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void theWaitIsCapped() {
    assertThat(policy.wait(40, Optional.empty())).isEqualTo(RetryPolicy.MAX_DELAY);
    assertThat(policy.wait(1, Optional.of(Duration.ofHours(3)))).isEqualTo(RetryPolicy.MAX_DELAY);
  }

  @Test
  void retryAfterReplacesTheBackoff() {
    assertThat(policy.wait(4, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.wait(1, Optional.of(Duration.ZERO))).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2015-10-21T07:28:00Z");
    assertThat(RetryPolicy.parseRetryAfter("120", now)).contains(Duration.ofSeconds(120));
    assertThat(RetryPolicy.parseRetryAfter(" 7 ", now)).contains(Duration.ofSeconds(7));
    // RFC 9110's own example of the date form
    assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("-3", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter(null, now)).isEmpty();
  }

  @Test
  void busyAndFailingServersAreRetried() {
    for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
      assertThat(RetryPolicy.isTransient(new HttpStatusException(status, "x", null, null))).as("%d", status).isTrue();
    }
  }

  @Test
  void refusalsAndAbsencesAreNot() {
    for (int status : new int[] {400, 401, 403, 404, 405, 416, 501, 505}) {
      assertThat(RetryPolicy.isTransient(new HttpStatusException(status, "x", null, null))).as("%d", status).isFalse();
    }
  }

  @Test
  void brokenConnectionsAreRetried() {
    assertThat(RetryPolicy.isTransient(new SocketException("Connection reset"))).isTrue();
    assertThat(RetryPolicy.isTransient(new ConnectException("Connection refused"), true)).isTrue();
    assertThat(RetryPolicy.isTransient(new SocketTimeoutException("Read timed out"))).isTrue();
    assertThat(RetryPolicy.isTransient(new EOFException())).isTrue();
    assertThat(RetryPolicy.isTransient(new TransferCutException(10, 20))).isTrue();
    assertThat(RetryPolicy.isTransient(new IOException("wrapped", new SocketException("Broken pipe")))).isTrue();
    assertThat(RetryPolicy.isTransient(new org.apache.http.ConnectionClosedException("Premature end of Content-Length delimited message body"))).isTrue();
    assertThat(RetryPolicy.isTransient(new org.apache.http.TruncatedChunkException("Truncated chunk"))).isTrue();
  }

  @Test
  void whatAnotherAttemptCannotCureIsNot() {
    Digest a = Digest.of(new byte[] {1});
    Digest b = Digest.of(new byte[] {2});
    assertThat(RetryPolicy.isTransient(new DigestMismatchException("the blob", a, b))).isFalse();
    assertThat(RetryPolicy.isTransient(new BootjException(BootjException.Kind.INTEGRITY, "bad manifest"))).isFalse();
    assertThat(RetryPolicy.isTransient(new UnknownHostException("registry.invalid"))).isFalse();
    // a registry that never answered: a wrong address or port, not a restart
    assertThat(RetryPolicy.isTransient(new ConnectException("Connection refused"), false)).isFalse();
    assertThat(RetryPolicy.isTransient(new SSLHandshakeException("PKIX path building failed"))).isFalse();
    assertThat(RetryPolicy.isTransient(new InterruptedIOException("interrupted"))).isFalse();
    assertThat(RetryPolicy.isTransient(new IOException("No space left on device"))).isFalse();
    assertThat(RetryPolicy.isTransient(new IllegalStateException("bug"))).isFalse();
  }
}
