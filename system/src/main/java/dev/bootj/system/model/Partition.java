package dev.bootj.system.model;

import java.util.UUID;

/** One planned or found partition: its role, byte range on the disk and unique GUID (PARTUUID). */
public record Partition(PartitionRole role, long offsetBytes, long sizeBytes, UUID partUuid) {

  public long endBytes() {
    return offsetBytes + sizeBytes;
  }
}
