package dev.bootj.system.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The boot counter of the Boot Loader Specification, kept in an entry's file name:
 * {@code bootj-b+2-1.conf} has 2 tries left and 1 done. systemd-boot moves one try from left to
 * done before each boot of the entry; systemd-bless-boot drops the counter once
 * boot-complete.target is reached; an entry with no tries left is "bad" and sorted last.
 */
public record BootCounter(int triesLeft, int triesDone) {

  private static final Pattern SUFFIX = Pattern.compile("\\+(\\d+)(?:-(\\d+))?$");

  public BootCounter {
    if (triesLeft < 0 || triesDone < 0) {
      throw new IllegalArgumentException("negative boot counter");
    }
  }

  public static BootCounter fresh(int tries) {
    return new BootCounter(tries, 0);
  }

  /** {@code +3} or {@code +2-1}, as in the file name. */
  public String suffix() {
    return "+" + triesLeft + (triesDone > 0 ? "-" + triesDone : "");
  }

  /** Every try was used and none reached boot-complete.target: systemd-boot skips this entry. */
  public boolean exhausted() {
    return triesLeft == 0;
  }

  /** The counter at the end of a file name without its {@code .conf}, if there is one. */
  public static Optional<BootCounter> parse(String nameWithoutExtension) {
    Matcher m = SUFFIX.matcher(nameWithoutExtension);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      int left = Integer.parseInt(m.group(1));
      int done = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      return Optional.of(new BootCounter(left, done));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
  }

  /** The part of a name before its counter: {@code bootj-b} for {@code bootj-b+2-1}. */
  public static String stripFrom(String nameWithoutExtension) {
    Matcher m = SUFFIX.matcher(nameWithoutExtension);
    return m.find() ? nameWithoutExtension.substring(0, m.start()) : nameWithoutExtension;
  }
}
