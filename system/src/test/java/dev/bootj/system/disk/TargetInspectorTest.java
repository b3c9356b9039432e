package dev.bootj.system.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block-device checks against a fake /proc and /sys describing a disk "sdz". */
class TargetInspectorTest {

  @TempDir Path dir;
  Path proc;
  Path sys;
  TargetDisk disk;

  @BeforeEach
  void fakeSystem() throws IOException {
    // A file stands in for the device node, so the partition-table check reads no real device.
    Path node = Files.createDirectories(dir.resolve("dev")).resolve("sdz");
    Files.write(node, new byte[4096]);
    disk = new TargetDisk(node, true, 8L << 30);
    proc = Files.createDirectories(dir.resolve("proc"));
    sys = Files.createDirectories(dir.resolve("sys/class/block/sdz/holders"));
    Files.writeString(proc.resolve("mounts"), "proc /proc proc rw 0 0\n/dev/vda / ext4 rw 0 0\n");
    Files.writeString(proc.resolve("swaps"), "Filename Type Size Used Priority\n");
  }

  private void partition(String name) throws IOException {
    Path p = Files.createDirectories(dir.resolve("sys/class/block/sdz").resolve(name));
    Files.writeString(p.resolve("partition"), "1\n");
    Files.createDirectories(p.resolve("holders"));
  }

  private TargetInspector inspector() {
    return new TargetInspector(proc, dir.resolve("sys"));
  }

  @Test
  void emptyDiskIsFine() throws IOException {
    assertThat(inspector().problems(disk, false)).isEmpty();
  }

  @Test
  void partitionedDiskNeedsWipe() throws IOException {
    partition("sdz1");
    partition("sdz2");
    assertThat(inspector().problems(disk, false)).singleElement().asString()
        .isEqualTo(disk.path() + " has partitions (sdz1, sdz2); give --wipe to erase the whole disk");
    assertThat(inspector().problems(disk, true)).isEmpty();
  }

  @Test
  void mountedPartitionIsRefusedEvenWithWipe() throws IOException {
    partition("sdz1");
    Files.writeString(proc.resolve("mounts"), "/dev/sdz1 /mnt ext4 rw 0 0\n");
    assertThat(inspector().problems(disk, true)).singleElement().asString()
        .isEqualTo("/dev/sdz1 is in use (mounted or swap); unmount it first");
  }

  @Test
  void swapOnTheDiskIsRefused() throws IOException {
    Files.writeString(proc.resolve("swaps"), "Filename Type\n/dev/sdz partition 100 0 -2\n");
    assertThat(inspector().problems(disk, true)).hasSize(1);
  }

  @Test
  void deviceMapperHolderIsRefused() throws IOException {
    partition("sdz1");
    Files.createFile(dir.resolve("sys/class/block/sdz/sdz1/holders/dm-0"));
    assertThat(inspector().problems(disk, true)).singleElement().asString().contains("in use by dm-0");
  }

  @Test
  void partitionTableTheKernelNeverScannedNeedsWipe() throws IOException {
    byte[] mbr = new byte[4096];
    mbr[510] = 0x55;
    mbr[511] = (byte) 0xaa;
    Files.write(disk.path(), mbr);
    assertThat(inspector().problems(disk, false)).singleElement().asString()
        .isEqualTo(disk.path() + " has a partition table; give --wipe to erase the whole disk");
    assertThat(inspector().problems(disk, true)).isEmpty();
  }

  @Test
  void aPartitionIsNotATarget() throws IOException {
    Path p = Files.createDirectories(dir.resolve("sys/class/block/sdz3"));
    Files.writeString(p.resolve("partition"), "3\n");
    TargetDisk part = new TargetDisk(dir.resolve("dev/sdz3"), true, 1L << 30);
    assertThat(inspector().problems(part, true)).singleElement().asString().contains("is a partition; give the whole disk");
  }

  @Test
  void partitionNodesFollowKernelNaming() {
    assertThat(TargetDisk.partitionNodeName("sda", 1)).isEqualTo("sda1");
    assertThat(TargetDisk.partitionNodeName("nvme0n1", 2)).isEqualTo("nvme0n1p2");
    assertThat(TargetDisk.partitionNodeName("loop7", 4)).isEqualTo("loop7p4");
    assertThat(TargetDisk.partitionNodeName("mmcblk0", 1)).isEqualTo("mmcblk0p1");
  }
}
