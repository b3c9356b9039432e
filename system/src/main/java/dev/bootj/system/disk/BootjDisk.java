package dev.bootj.system.disk;

import dev.bootj.common.BootjException;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A disk bootj installed: its four partitions as its GPT gives them. The one place that maps a
 * disk (image file or block device) to bootj's partitions, for status, updates and reset alike.
 */
public record BootjDisk(TargetDisk disk, Map<PartitionRole, Partition> partitions) {

  /**
   * The disk at {@code path} as bootj laid it out. Anything else (no such file, no GPT, other
   * partitions) is refused with one line saying that it is not a disk bootj installed.
   */
  public static BootjDisk read(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new BootjException(BootjException.Kind.SYSTEM, path + " does not exist; give the disk or disk image"
          + " file that 'bootj install to-disk' wrote");
    }
    TargetDisk disk;
    List<GptReader.Entry> gpt;
    try {
      disk = TargetDisk.inspect(path);
      gpt = new GptReader().read(disk.path());
    } catch (java.nio.file.AccessDeniedException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read " + path + ": permission denied; run bootj as root");
    } catch (IOException e) {
      throw notBootj(path, e.getMessage());
    }
    Map<PartitionRole, Partition> partitions = new EnumMap<>(PartitionRole.class);
    for (PartitionRole role : PartitionRole.values()) {
      GptReader.Entry entry = gpt.stream()
          .filter(e -> e.number() == role.number() && e.type().equals(role.type()))
          .findFirst()
          .orElseThrow(() -> notBootj(path, "partition " + role.number() + " is not the " + role.displayName()
              + " partition"));
      partitions.put(role, new Partition(role, entry.offsetBytes(), entry.sizeBytes(), entry.partUuid()));
    }
    return new BootjDisk(disk, partitions);
  }

  private static BootjException notBootj(Path path, String why) {
    return new BootjException(BootjException.Kind.SYSTEM, path + " is not a disk installed by bootj (" + why
        + "); install one with 'bootj install to-disk', or give the right file");
  }

  /** Each slot's PARTUUID. */
  public Map<Slot, UUID> slotPartUuids() {
    Map<Slot, UUID> uuids = new EnumMap<>(Slot.class);
    for (Slot slot : Slot.values()) {
      uuids.put(slot, slot(slot).partUuid());
    }
    return uuids;
  }

  public Partition partition(PartitionRole role) {
    return partitions.get(role);
  }

  public Partition slot(Slot slot) {
    return partitions.get(PartitionRole.of(slot));
  }

  public PartitionTarget target(PartitionRole role) {
    return disk.partition(partitions.get(role));
  }
}
