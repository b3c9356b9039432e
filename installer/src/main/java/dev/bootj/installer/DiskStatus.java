package dev.bootj.installer;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What a bootj disk says about itself: which slot boots by default, what each slot holds, and,
 * when read on the running machine, which slot it booted from. {@code slots} has an entry for
 * every slot with a boot entry or a state record (and for the booted slot).
 *
 * @param disk the disk read; on the running machine, the disk holding the booted slot, or null
 *     when it could not be found
 * @param defaultSlot the slot loader.conf names, or null when it names none (or the ESP was not found)
 * @param bootedSlot the slot the running machine booted from; null when the disk was read offline
 */
public record DiskStatus(Path disk, Slot defaultSlot, Map<Slot, SlotStatus> slots, Slot bootedSlot) {

  /** An offline disk: nothing on it is booted. */
  public DiskStatus(Path disk, Slot defaultSlot, Map<Slot, SlotStatus> slots) {
    this(disk, defaultSlot, slots, null);
  }

  /**
   * One slot: its PARTUUID, whether the ESP has a boot entry for it (and that entry's title and
   * kernel options), and bootj's record of the image in it (null if none).
   */
  public record SlotStatus(UUID partUuid, boolean hasBootEntry, String bootEntryTitle, String kernelOptions,
      StateRecord.SlotRecord image) {}
}
