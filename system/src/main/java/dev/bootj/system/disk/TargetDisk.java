package dev.bootj.system.disk;

import dev.bootj.system.model.Partition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The disk being installed to: a whole block device (/dev/sdb, /dev/nvme0n1, /dev/loop3) or a
 * disk image file. Which one decides how partitions are reached: a device through the kernel's
 * partition nodes, a file by byte offsets (loop partition nodes cannot be relied on).
 */
public record TargetDisk(Path path, boolean blockDevice, long sizeBytes) {

  /** Looks at an existing target, following /dev/disk/by-id style links to the real node. */
  public static TargetDisk inspect(Path path) throws IOException {
    Path real = path.toRealPath();
    Map<String, Object> attrs = Files.readAttributes(real, "unix:mode");
    int type = (Integer) attrs.get("mode") & 0170000;
    if (type == 0060000) {
      return new TargetDisk(real, true, blockDeviceSize(real));
    }
    if (type != 0100000) {
      throw new IOException(path + " is neither a block device nor a regular file");
    }
    return new TargetDisk(real, false, Files.size(real));
  }

  /** The kernel's name for the device (sdb, nvme0n1), as under /sys/class/block. */
  public String kernelName() {
    return path.getFileName().toString();
  }

  public Path sysfs() {
    return Path.of("/sys/class/block", kernelName());
  }

  /**
   * The device node of partition {@code number}: a "p" goes between names that end in a digit
   * and the number (nvme0n1p1, mmcblk0p1, loop0p1), not otherwise (sda1, vda1).
   */
  public Path partitionNode(int number) {
    return path.resolveSibling(partitionNodeName(kernelName(), number));
  }

  static String partitionNodeName(String disk, int number) {
    return Character.isDigit(disk.charAt(disk.length() - 1)) ? disk + "p" + number : disk + number;
  }

  /** Where a partition's filesystem is written: its own node on a device, an offset in a file. */
  public PartitionTarget partition(Partition partition) {
    return blockDevice
        ? new PartitionTarget(partitionNode(partition.role().number()), 0, partition.sizeBytes())
        : new PartitionTarget(path, partition.offsetBytes(), partition.sizeBytes());
  }

  /** Whether the first sector carries an MBR or protective-MBR signature (a partition table). */
  public boolean hasPartitionTable() throws IOException {
    if (sizeBytes < 512) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer sector = ByteBuffer.allocate(512);
      channel.read(sector, 0);
      return (sector.get(510) & 0xff) == 0x55 && (sector.get(511) & 0xff) == 0xaa;
    }
  }

  // /sys/class/block/NAME/size counts 512-byte units whatever the device's sector size.
  private static long blockDeviceSize(Path device) throws IOException {
    Path size = Path.of("/sys/class/block", device.getFileName().toString(), "size");
    return Long.parseLong(Files.readString(size).strip()) * 512;
  }
}
