package dev.bootj.installer;

import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * bootj's boot entries as found on an ESP, read back for status: which file belongs to a slot,
 * and the fields inside it. Shared by the offline (mtools) and the booted (mounted ESP) readers.
 */
final class EspEntries {

  private EspEntries() {}

  /**
   * The file of {@code slot}'s entry among {@code names} (bare names or paths): bootj-a.conf, or
   * bootj-a+2-1.conf while systemd-boot is still counting boot attempts.
   */
  static Optional<String> fileFor(Slot slot, Collection<String> names) {
    String prefix = "bootj-" + slot.id();
    for (String line : names) {
      String name = line.strip();
      name = name.substring(name.lastIndexOf('/') + 1);
      if (name.equals(prefix + ".conf") || (name.startsWith(prefix + "+") && name.endsWith(".conf"))) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  static Optional<String> field(String entryText, String key) {
    for (String line : entryText.split("\n")) {
      String[] words = line.strip().split("\\s+", 2);
      if (words.length == 2 && words[0].equals(key)) {
        return Optional.of(words[1].strip());
      }
    }
    return Optional.empty();
  }

  /** The PARTUUID an entry boots as root, from its options line. */
  static Optional<UUID> rootPartUuid(String entryText) {
    return field(entryText, "options")
        .flatMap(KernelCommandLine::root)
        .flatMap(KernelCommandLine::partUuid);
  }

  /** A slot's status from what was found: any of the entry and the record may be missing. */
  static DiskStatus.SlotStatus slotStatus(UUID partUuid, Optional<String> entryText, StateRecord.SlotRecord image) {
    return new DiskStatus.SlotStatus(partUuid, entryText.isPresent(),
        entryText.flatMap(t -> field(t, "title")).orElse(null),
        entryText.flatMap(t -> field(t, "options")).orElse(null), image);
  }
}
