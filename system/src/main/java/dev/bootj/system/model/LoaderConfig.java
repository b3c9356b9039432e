package dev.bootj.system.model;

/**
 * systemd-boot's loader/loader.conf as bootj writes it. It names no slot: {@code default bootj-*}
 * lets systemd-boot take the first of bootj's entries in its own order (see {@link BootOrder}), so
 * the file is written once at install and never again, and a failed slot is skipped by itself.
 */
public record LoaderConfig(int timeoutSeconds) {

  /** Short, so an unattended machine boots promptly, long enough to pick the other slot by hand. */
  public static final int DEFAULT_TIMEOUT = 3;

  public static final String DEFAULT_PATTERN = "bootj-*";

  public String text() {
    return "# Written by bootj. The entry with the highest version boots; one whose boot counter\n"
        + "# ran out (+0) is skipped, so a failed update falls back to the previous slot.\n"
        + "default " + DEFAULT_PATTERN + "\n"
        + "timeout " + timeoutSeconds + "\n"
        // The boot menu's editor would let anyone at the console add init=/bin/sh.
        + "editor no\n";
  }
}
