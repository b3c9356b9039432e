package dev.bootj.system.status;

import dev.bootj.system.model.BootOrder;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.InstalledBootEntry;
import dev.bootj.system.model.KernelCommandLine;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * bootj's boot entries as found on an ESP, turned into status. Shared by the offline (mtools) and
 * the booted (mounted ESP) readers.
 */
final class EspEntries {

  private EspEntries() {}

  /** The PARTUUID an entry boots as root, from its options line. */
  static Optional<UUID> rootPartUuid(InstalledBootEntry entry) {
    return entry.field("options")
        .flatMap(KernelCommandLine::root)
        .flatMap(KernelCommandLine::partUuid);
  }

  /** The status of every slot that has an entry or a record (or is {@code alwaysShown}). */
  static DiskStatus status(java.nio.file.Path disk, BootOrder order, StateRecord record, Map<Slot, UUID> partUuids,
      Slot booted) {
    Map<Slot, DiskStatus.SlotStatus> slots = new EnumMap<>(Slot.class);
    for (Slot slot : Slot.values()) {
      Optional<InstalledBootEntry> entry = order.entry(slot);
      StateRecord.SlotRecord image = record == null ? null : record.slot(slot);
      if (entry.isPresent() || image != null || slot == booted) {
        slots.put(slot, new DiskStatus.SlotStatus(partUuids.get(slot), entry.isPresent(),
            entry.flatMap(e -> e.field("title")).orElse(null),
            entry.flatMap(e -> e.field("options")).orElse(null),
            entry.map(InstalledBootEntry::generation).orElse(0L),
            entry.map(InstalledBootEntry::counter).orElse(null), image));
      }
    }
    Slot failed = order.failedNewest().map(InstalledBootEntry::slot).orElse(null);
    return new DiskStatus(disk, order.next().orElse(null), slots, booted, failed);
  }
}
