package dev.bootj.installer.boot;

import dev.bootj.installer.BootEntry;
import dev.bootj.installer.Slot;
import java.util.Optional;

/** systemd-boot's loader/loader.conf as bootj writes it: which slot boots by default. */
public record LoaderConfig(Slot defaultSlot, int timeoutSeconds) {

  /** Short, so an unattended machine boots promptly, long enough to pick the other slot by hand. */
  public static final int DEFAULT_TIMEOUT = 3;

  public String text() {
    return "# Written by bootj; the default is the slot the machine boots next.\n"
        + "default " + BootEntry.fileName(defaultSlot) + "\n"
        + "timeout " + timeoutSeconds + "\n"
        // The boot menu's editor would let anyone at the console add init=/bin/sh.
        + "editor no\n";
  }

  /** The default slot named in a loader.conf, if it names one of bootj's entries. */
  public static Optional<Slot> defaultSlotIn(String loaderConf) {
    for (String line : loaderConf.split("\n")) {
      String[] words = line.strip().split("\\s+", 2);
      if (words.length == 2 && words[0].equals("default")) {
        for (Slot slot : Slot.values()) {
          String id = BootEntry.fileName(slot);
          String value = words[1].strip();
          if (value.equals(id) || value.equals(id.substring(0, id.length() - ".conf".length()))) {
            return Optional.of(slot);
          }
        }
      }
    }
    return Optional.empty();
  }
}
