package dev.bootj.installer;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What an offline bootj disk says about itself: which slot boots by default and what each slot
 * holds. {@code slots} has an entry for every slot with a boot entry or a state record.
 */
public record DiskStatus(Path disk, Slot defaultSlot, Map<Slot, SlotStatus> slots) {

  /**
   * One slot: its PARTUUID, whether the ESP has a boot entry for it (and that entry's title and
   * kernel options), and bootj's record of the image in it (null if none).
   */
  public record SlotStatus(UUID partUuid, boolean hasBootEntry, String bootEntryTitle, String kernelOptions,
      StateRecord.SlotRecord image) {}
}
