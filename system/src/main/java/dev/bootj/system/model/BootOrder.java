package dev.bootj.system.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * bootj's entries in the order systemd-boot gives them (see {@link dev.bootj.system.model.BootEntry}):
 * entries whose counter ran out last, then the highest generation first. With loader.conf's
 * {@code default bootj-*}, the first one is what the machine boots next.
 */
public record BootOrder(List<InstalledBootEntry> entries) {

  private static final Comparator<InstalledBootEntry> SYSTEMD_BOOT_ORDER =
      Comparator.comparing(InstalledBootEntry::failed)
          .thenComparing(Comparator.comparingLong(InstalledBootEntry::generation).reversed())
          .thenComparing(e -> e.slot().id(), Comparator.reverseOrder());

  public static BootOrder of(Collection<InstalledBootEntry> found) {
    return new BootOrder(found.stream().sorted(SYSTEMD_BOOT_ORDER).toList());
  }

  /** The slot the machine boots next, if bootj has any entry. */
  public Optional<Slot> next() {
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0).slot());
  }

  public Optional<InstalledBootEntry> entry(Slot slot) {
    return entries.stream().filter(e -> e.slot() == slot).findFirst();
  }

  /** The next generation to write: above every entry's, so the entry written with it sorts first. */
  public long nextGeneration() {
    return entries.stream().mapToLong(InstalledBootEntry::generation).max().orElse(0) + 1;
  }

  /**
   * The entry that failed its tries and made systemd-boot fall back: the highest generation, when
   * its counter ran out and another entry now boots first.
   */
  public Optional<InstalledBootEntry> failedNewest() {
    return entries.stream()
        .max(Comparator.comparingLong(InstalledBootEntry::generation))
        .filter(InstalledBootEntry::failed);
  }
}
