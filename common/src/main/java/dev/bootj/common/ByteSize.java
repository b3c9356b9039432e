package dev.bootj.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as people read and write them: binary units, as {@code du -h}, podman, {@code
 * truncate -s} and {@code qemu-img} use them.
 */
public final class ByteSize {

  public static final long KIB = 1024;
  public static final long MIB = 1024 * KIB;
  public static final long GIB = 1024 * MIB;

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
  private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGT]?)(I?B)?");

  private ByteSize() {}

  /**
   * Reads a size as people write it: {@code 4G}, {@code 4GiB}, {@code 512M}, {@code 20g} or plain
   * bytes. Units are binary (K = 1024).
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
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

  /** "512 B", "1.5 KiB", "8 GiB": one decimal, dropped when it is zero. */
  public static String format(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0) {
      return bytes + " B";
    }
    String number = String.format(Locale.ROOT, "%.1f", value);
    return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + " " + UNITS[unit];
  }

  public static long roundUp(long bytes, long unit) {
    return (bytes + unit - 1) / unit * unit;
  }

  public static long roundDown(long bytes, long unit) {
    return bytes / unit * unit;
  }
}
