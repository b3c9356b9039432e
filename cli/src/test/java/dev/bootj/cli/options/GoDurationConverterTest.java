package dev.bootj.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Cases from Go's time.ParseDuration documentation and tests, which skopeo's --retry-delay goes through. */
class GoDurationConverterTest {

  @Test
  void readsGoDurations() {
    assertThat(GoDurationConverter.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(GoDurationConverter.parse("10ms")).isEqualTo(Duration.ofMillis(10));
    assertThat(GoDurationConverter.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDurationConverter.parse("2h45m")).isEqualTo(Duration.ofMinutes(165));
    assertThat(GoDurationConverter.parse("300us")).isEqualTo(Duration.ofNanos(300_000));
    assertThat(GoDurationConverter.parse("300µs")).isEqualTo(Duration.ofNanos(300_000));
    assertThat(GoDurationConverter.parse("15ns")).isEqualTo(Duration.ofNanos(15));
    assertThat(GoDurationConverter.parse(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDurationConverter.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDurationConverter.parse("+3s")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void refusesWhatGoRefusesAndNegatives() {
    for (String bad : new String[] {"", "2", "s", "2 s", "3x", ".s", "1s2", "-1s", "1d"}) {
      assertThatThrownBy(() -> GoDurationConverter.parse(bad)).as(bad).isInstanceOf(TypeConversionException.class);
    }
  }
}
