package dev.bootj.cli.output;

import java.util.Locale;

/** Byte counts for people: binary units, one decimal, as {@code du -h} and podman print them. */
public final class ByteSize {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private ByteSize() {}

  /**
   * Reads a size as people write it: {@code 4G}, {@code 4GiB}, {@code 512M}, {@code 20g} or plain
   * bytes. Units are binary (K = 1024), as in {@code truncate -s} and {@code qemu-img}.
   */
  public static long parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGT]?)(I?B)?").matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 8G, 512M or 4GiB");
    }
    int power = m.group(2).isEmpty() ? 0 : "KMGT".indexOf(m.group(2)) + 1;
    double value = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
    if (value < 1 || value > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("'" + text + "' is not a usable size");
    }
    return (long) value;
  }

  public static String format(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
