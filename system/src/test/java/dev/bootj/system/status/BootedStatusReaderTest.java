package dev.bootj.system.status;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.system.disk.Partitioner;
import dev.bootj.system.disk.TargetDisk;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.LoaderConfig;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.PartitionLayout;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running machine's status from a stand-in root holding a fake /proc/cmdline, ESP, /var, /dev and /sys. */
class BootedStatusReaderTest {

  private static final UUID A = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000002");
  private static final UUID B = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000003");
  private static final ImageIdentity IMAGE = new ImageIdentity("example/os:1", "sha256:" + "12".repeat(32), "1");
  private static final OsRelease OS = OsRelease.parse("PRETTY_NAME=\"Example OS\"\n");

  @TempDir Path host;

  @BeforeEach
  void slotAInstalled() throws IOException {
    writeEsp("efi");
    entry("efi", Slot.A, "bootj-a.conf", A, 1);
    write(StateRecord.PATH.substring(1), StateRecord.firstInstall(Slot.A, IMAGE, "6.1.0", Instant.EPOCH).toJson());
  }

  private void cmdline(String text) throws IOException {
    write("proc/cmdline", text + "\n");
  }

  private void writeEsp(String mountPoint) throws IOException {
    write(mountPoint + "/loader/loader.conf", new LoaderConfig(3).text());
  }

  private void entry(String mountPoint, Slot slot, String fileName, UUID root, long generation) throws IOException {
    BootEntry entry = BootEntry.forSlot(slot, OS, IMAGE, "6.1.0", root, List.of("console=ttyS0"), List.of())
        .withGeneration(generation);
    write(mountPoint + "/loader/entries/" + fileName, entry.text());
  }

  private void write(String path, String text) throws IOException {
    Path file = host.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private DiskStatus read() throws IOException {
    return new BootedStatusReader(host).read();
  }

  @Test
  void bootedSlotIsTheOneWhoseEntryNamesTheRootPartuuid() throws IOException {
    cmdline("initrd=\\bootj\\a\\initrd root=PARTUUID=" + A + " rw console=ttyS0");
    DiskStatus status = read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.A);
    assertThat(status.defaultSlot()).isEqualTo(Slot.A);
    assertThat(status.disk()).isNull();
    assertThat(status.slots()).containsOnlyKeys(Slot.A);
    DiskStatus.SlotStatus a = status.slots().get(Slot.A);
    assertThat(a.partUuid()).isEqualTo(A);
    assertThat(a.bootEntryTitle()).isEqualTo("Example OS (121212121212, slot a)");
    assertThat(a.image().manifestDigest()).isEqualTo(IMAGE.manifestDigest());
  }

  @Test
  void slotBBootedWhileItsEntryIsStillCountingTries() throws IOException {
    entry("efi", Slot.B, "bootj-b+2-1.conf", B, 2);
    cmdline("root=PARTUUID=" + B.toString().toUpperCase() + " rw");
    DiskStatus status = read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.B);
    assertThat(status.defaultSlot()).isEqualTo(Slot.B);
    assertThat(status.staged()).isFalse();
    assertThat(status.rollbackSlot()).isEqualTo(Slot.A);
    assertThat(status.slots().get(Slot.B).partUuid()).isEqualTo(B);
    assertThat(status.slots().get(Slot.B).hasBootEntry()).isTrue();
    assertThat(status.slots().get(Slot.B).counter()).isEqualTo(new dev.bootj.system.model.BootCounter(2, 1));
    assertThat(status.slots().get(Slot.B).image()).isNull();
    assertThat(status.failedSlot()).isNull();
  }

  @Test
  void anUpdateStagedButNotBootedIsTheDefaultAndTheBootedSlotIsTheRollback() throws IOException {
    entry("efi", Slot.B, "bootj-b+3.conf", B, 2);
    write(StateRecord.PATH.substring(1), "{\"formatVersion\":1,\"slots\":{"
        + "\"a\":{\"imageReference\":\"example/os:1\",\"manifestDigest\":\"sha256:aa\"},"
        + "\"b\":{\"imageReference\":\"example/os:2\",\"manifestDigest\":\"sha256:bb\"}}}");
    cmdline("root=PARTUUID=" + A);
    DiskStatus status = read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.A);
    assertThat(status.defaultSlot()).isEqualTo(Slot.B);
    assertThat(status.staged()).isTrue();
    assertThat(status.rollbackSlot()).isEqualTo(Slot.A);
    assertThat(status.failedSlot()).isNull();
  }

  @Test
  void anEntryThatUsedUpItsTriesIsSkippedAndReportedAsAFallback() throws IOException {
    entry("efi", Slot.B, "bootj-b+0-3.conf", B, 2);
    cmdline("root=PARTUUID=" + A);
    DiskStatus status = read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.A);
    assertThat(status.defaultSlot()).isEqualTo(Slot.A);
    assertThat(status.staged()).isFalse();
    assertThat(status.failedSlot()).isEqualTo(Slot.B);
    assertThat(status.slots().get(Slot.B).failed()).isTrue();
    assertThat(status.rollbackSlot()).isNull();
  }

  @Test
  void emptyStateFileIsNoRecord() throws IOException {
    write(StateRecord.PATH.substring(1), "");
    cmdline("root=PARTUUID=" + A);
    DiskStatus status = read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.A);
    assertThat(status.slots().get(Slot.A).image()).isNull();
  }

  @Test
  void brokenStateFileIsNamed() throws IOException {
    write(StateRecord.PATH.substring(1), "{ not json");
    cmdline("root=PARTUUID=" + A);
    assertThatThrownBy(this::read).hasMessageStartingWith("cannot read /var/lib/bootj/state.json: ");
  }

  @Test
  void lastRootOnTheCommandLineCounts() throws IOException {
    cmdline("root=/dev/sda1 root=PARTUUID=" + A);
    assertThat(read().bootedSlot()).isEqualTo(Slot.A);
  }

  @Test
  void espIsFoundUnderBootEfiToo() throws IOException {
    Files.move(host.resolve("efi"), host.resolve("boot-efi"));
    Files.createDirectories(host.resolve("boot"));
    Files.move(host.resolve("boot-efi"), host.resolve("boot/efi"));
    Files.createDirectories(host.resolve("efi"));
    cmdline("root=PARTUUID=" + A);
    DiskStatus status = read();
    assertThat(status.defaultSlot()).isEqualTo(Slot.A);
    assertThat(status.slots().get(Slot.A).hasBootEntry()).isTrue();
  }

  @Test
  void rootByFilesystemUuidIsNotABootjSlot() throws IOException {
    cmdline("BOOT_IMAGE=/vmlinuz root=UUID=1234-abcd ro quiet");
    assertThatThrownBy(this::read)
        .isInstanceOf(NotBootedFromSlotException.class)
        .hasMessage("this system was not booted from a bootj slot (root=UUID=1234-abcd)");
  }

  @Test
  void partuuidOfNoSlotIsNotABootjSlot() throws IOException {
    UUID other = UUID.randomUUID();
    cmdline("root=PARTUUID=" + other + " rw");
    assertThatThrownBy(this::read).hasMessage("this system was not booted from a bootj slot (root=PARTUUID=" + other + ")");
  }

  @Test
  void noRootAtAllIsSaidSo() throws IOException {
    cmdline("console=ttyS0");
    assertThatThrownBy(this::read)
        .hasMessage("this system was not booted from a bootj slot (no root= on the kernel command line)");
  }

  /**
   * With udev's by-partuuid link and /sys, the disk's GPT is read: both slots' PARTUUIDs are
   * known even though slot B has no entry, and the disk is named as the machine names it.
   */
  @Test
  void slotsComeFromTheGptOfTheDiskHoldingTheRoot() throws Exception {
    assumeTrue(Tool.SGDISK.locate().isPresent(), "sgdisk is not installed");
    Path disk = Files.createDirectories(host.resolve("dev")).resolve("vda");
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(4 * GIB);
    }
    PartitionLayout layout = PartitionLayout.plan(4 * GIB, 300 * MIB, null).orElseThrow();
    new Partitioner(new CommandRunner()).write(new TargetDisk(disk, false, 4 * GIB), layout);
    UUID rootB = layout.rootB().partUuid();
    Files.createFile(host.resolve("dev/vda3"));
    Path byPartUuid = Files.createDirectories(host.resolve("dev/disk/by-partuuid"));
    Files.createSymbolicLink(byPartUuid.resolve(rootB.toString()), Path.of("../../vda3"));
    Path sysPartition = Files.createDirectories(host.resolve("sys/devices/virtual/block/vda/vda3"));
    Files.writeString(sysPartition.resolve("partition"), "3\n");
    Files.createDirectories(host.resolve("sys/class/block"));
    Files.createSymbolicLink(host.resolve("sys/class/block/vda3"), Path.of("../../devices/virtual/block/vda/vda3"));
    cmdline("root=PARTUUID=" + rootB + " rw");

    DiskStatus status = read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.B);
    assertThat(status.disk()).isEqualTo(Path.of("/dev/vda"));
    assertThat(status.slots().get(Slot.B).partUuid()).isEqualTo(rootB);
    assertThat(status.slots().get(Slot.B).hasBootEntry()).isFalse();
    assertThat(status.slots().get(Slot.A).partUuid()).isEqualTo(layout.rootA().partUuid());
  }
}
