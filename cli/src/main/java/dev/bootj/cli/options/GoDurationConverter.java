package dev.bootj.cli.options;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as Go's {@code time.ParseDuration} writes it, which is what skopeo's and
 * podman's {@code --retry-delay} take: decimal numbers each with a unit, {@code ns}, {@code us}
 * ({@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}, such as {@code 2s}, {@code 10ms},
 * {@code 1.5s} or {@code 1m30s}; a bare {@code 0} is zero. Negative durations are refused.
 */
public final class GoDurationConverter implements ITypeConverter<Duration> {

  private static final Pattern TERM = Pattern.compile("([0-9]*\\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String text) {
    String value = text.strip();
    if (value.startsWith("+")) {
      value = value.substring(1);
    }
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    if (value.isEmpty() || value.startsWith("-")) {
      throw invalid(text);
    }
    Matcher m = TERM.matcher(value);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < value.length()) {
      if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
        throw invalid(text);
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      at = m.end();
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw invalid(text);
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static TypeConversionException invalid(String text) {
    return new TypeConversionException("'" + text + "' is not a duration; write it as Go does, e.g. 500ms, 2s, 1m30s");
  }
}
