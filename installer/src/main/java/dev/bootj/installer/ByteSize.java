package dev.bootj.installer;

import java.util.Locale;

/** Byte counts for people: binary units with one decimal ("1.5 GiB", "512 MiB"). */
public final class ByteSize {
  public static final long KIB = 1024;
  public static final long MIB = 1024 * KIB;
  public static final long GIB = 1024 * MIB;

  private ByteSize() {}

  public static String format(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0) {
      return bytes + " bytes";
    }
    String number = value == Math.rint(value)
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
    return number + " " + units[unit];
  }

  public static long roundUp(long bytes, long unit) {
    return (bytes + unit - 1) / unit * unit;
  }

  public static long roundDown(long bytes, long unit) {
    return bytes / unit * unit;
  }
}
