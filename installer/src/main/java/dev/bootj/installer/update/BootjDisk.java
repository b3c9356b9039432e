package dev.bootj.installer.update;

import dev.bootj.installer.Partition;
import dev.bootj.installer.PartitionRole;
import dev.bootj.installer.Slot;
import dev.bootj.installer.disk.GptReader;
import dev.bootj.installer.disk.PartitionTarget;
import dev.bootj.installer.disk.TargetDisk;
import dev.bootj.common.BootjException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A disk bootj installed: its four partitions as its GPT gives them. */
record BootjDisk(TargetDisk disk, Map<PartitionRole, Partition> partitions) {

  static BootjDisk read(Path path) throws IOException {
    TargetDisk disk = TargetDisk.inspect(path);
    List<GptReader.Entry> gpt = new GptReader().read(disk.path());
    Map<PartitionRole, Partition> partitions = new EnumMap<>(PartitionRole.class);
    for (PartitionRole role : PartitionRole.values()) {
      GptReader.Entry entry = gpt.stream()
          .filter(e -> e.number() == role.number() && e.type().equals(role.type()))
          .findFirst()
          .orElseThrow(() -> new BootjException(BootjException.Kind.SYSTEM, path + " is not a bootj disk:"
              + " partition " + role.number() + " is not the " + role.displayName()
              + " partition; install it first with 'bootj install to-disk'"));
      partitions.put(role, new Partition(role, entry.offsetBytes(), entry.sizeBytes(), entry.partUuid()));
    }
    return new BootjDisk(disk, partitions);
  }

  Partition partition(PartitionRole role) {
    return partitions.get(role);
  }

  Partition slot(Slot slot) {
    return partitions.get(PartitionRole.of(slot));
  }

  PartitionTarget target(PartitionRole role) {
    return disk.partition(partitions.get(role));
  }
}
