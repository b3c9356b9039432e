package dev.bootj.system.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What a bootj disk says about itself: which slot boots next, what each slot holds, and, when read
 * on the running machine, which slot it booted from. {@code slots} has an entry for every slot with
 * a boot entry or a state record (and for the booted slot).
 *
 * @param disk the disk read; on the running machine, the disk holding the booted slot, or null
 *     when it could not be found
 * @param defaultSlot the slot systemd-boot boots next, or null when there is no entry of bootj's
 *     (or the ESP was not found)
 * @param bootedSlot the slot the running machine booted from; null when the disk was read offline
 * @param failedSlot the slot whose newest entry used up its boot tries, so the machine fell back to
 *     the other one; null when nothing failed
 */
public record DiskStatus(Path disk, Slot defaultSlot, Map<Slot, SlotStatus> slots, Slot bootedSlot,
    Slot failedSlot) {

  /** An offline disk: nothing on it is booted. */
  public DiskStatus(Path disk, Slot defaultSlot, Map<Slot, SlotStatus> slots, Slot failedSlot) {
    this(disk, defaultSlot, slots, null, failedSlot);
  }

  /**
   * The slot the machine would roll back to: the other slot than the default, when it has a boot
   * entry that has not failed and an image recorded. Null when there is none.
   */
  public Slot rollbackSlot() {
    if (defaultSlot == null) {
      return null;
    }
    SlotStatus other = slots.get(defaultSlot.other());
    return other != null && other.hasBootEntry() && !other.failed() && other.image() != null
        ? defaultSlot.other() : null;
  }

  /** The default slot is not the booted one: an update (or a rollback) waits for the next boot. */
  public boolean staged() {
    return bootedSlot != null && defaultSlot != null && defaultSlot != bootedSlot;
  }

  /**
   * One slot: its PARTUUID, whether the ESP has a boot entry for it (and that entry's title, kernel
   * options, generation and boot counter), and bootj's record of the image in it (null if none).
   *
   * @param counter the entry's boot counter; null when the entry is not being counted (blessed)
   */
  public record SlotStatus(UUID partUuid, boolean hasBootEntry, String bootEntryTitle, String kernelOptions,
      long generation, BootCounter counter, StateRecord.SlotRecord image) {

    /** The entry used up its tries without reaching boot-complete.target. */
    public boolean failed() {
      return counter != null && counter.exhausted();
    }
  }
}
