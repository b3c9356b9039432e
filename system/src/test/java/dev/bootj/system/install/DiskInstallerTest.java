package dev.bootj.system.install;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.posix.PosixCalls;
import dev.bootj.system.disk.GptReader;
import dev.bootj.system.esp.MtoolsEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.image.BootLoaderLocator;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionLayout;
import dev.bootj.system.model.Slot;
import dev.bootj.system.status.DiskStatusReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole install of a tiny fake image (a kernel and loader made of text) onto a 2 GiB image file
 * with the real tools, then the disk read back: GPT, ESP and both filesystems, offline.
 */
class DiskInstallerTest {

  @TempDir Path dir;
  Path root;
  final CommandRunner commands = new CommandRunner();
  final List<String> progress = new ArrayList<>();

  @BeforeEach
  void tinyImage() throws IOException {
    for (Tool tool : List.of(Tool.SGDISK, Tool.MKFS_EXT4, Tool.DEBUGFS, Tool.MKFS_VFAT, Tool.MCOPY, Tool.MTYPE)) {
      assumeTrue(tool.locate().isPresent(), tool.program() + " is not installed");
    }
    root = Files.createDirectories(dir.resolve("root"));
    write("boot/vmlinuz-6.1.0-50-amd64", "kernel");
    write("boot/initrd.img-6.1.0-50-amd64", "initramfs");
    write(BootLoaderLocator.IMAGE_PATH.substring(1), "systemd-boot");
    write("usr/lib/os-release", "PRETTY_NAME=\"Tiny OS 1\"\n");
    write("etc/hostname", "tiny\n");
    Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
    write("var/lib/seeded", "from the image\n");
    write("usr/lib/bootj/kargs.d/10-console.toml", "kargs = [\"console=ttyS0\"]\n");
  }

  private void write(String path, String text) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private InstallRequest request(Path disk, FilesystemType fs, boolean wipe) {
    // xfs makes nothing under 300 MiB, so its two slots need a larger disk.
    long size = fs == FilesystemType.XFS ? 3 * GIB : 2 * GIB;
    return new InstallRequest(disk, size, wipe, fs, null, List.of("quiet"), null, root,
        new ImageIdentity("registry.example/tiny:1", "sha256:" + "ab".repeat(32), "1"));
  }

  @Test
  void installsAndReadsBack() throws Exception {
    Path disk = dir.resolve("disk.img");
    InstallResult result = new DiskInstaller().install(request(disk, FilesystemType.EXT4, false), progress::add);
    PartitionLayout layout = result.layout();

    // GPT as planned, read back two ways.
    List<GptReader.Entry> gpt = new GptReader().read(disk);
    assertThat(gpt).hasSize(4);
    for (GptReader.Entry e : gpt) {
      Partition planned = layout.partitions().get(e.number() - 1);
      assertThat(e.partUuid()).isEqualTo(planned.partUuid());
      assertThat(e.type()).isEqualTo(planned.role().type());
      assertThat(e.offsetBytes()).isEqualTo(planned.offsetBytes());
      assertThat(e.sizeBytes()).isEqualTo(planned.sizeBytes());
      assertThat(e.name()).isEqualTo(planned.role().label());
    }
    assertThat(run("sgdisk", "-i", "2", disk.toString()).toLowerCase())
        .contains(layout.rootA().partUuid().toString()).contains("4f68bce3-e8cd-4db1-96e7-fbcaf984b709");
    assertThat(run("sgdisk", "-v", disk.toString())).contains("No problems found");

    // ESP.
    String esp = disk + "@@" + layout.esp().offsetBytes();
    assertThat(mtype(esp, "::/EFI/BOOT/BOOTX64.EFI")).isEqualTo("systemd-boot");
    assertThat(mtype(esp, "::/EFI/systemd/systemd-bootx64.efi")).isEqualTo("systemd-boot");
    assertThat(mtype(esp, "::/bootj/a/vmlinuz")).isEqualTo("kernel");
    assertThat(mtype(esp, "::/bootj/a/initrd")).isEqualTo("initramfs");
    assertThat(mtype(esp, "::/loader/entries/bootj-a.conf"))
        .contains("title Tiny OS 1 (abababababab, slot a)")
        .contains("options root=PARTUUID=" + layout.rootA().partUuid() + " rw console=ttyS0 quiet");
    assertThat(mtype(esp, "::/loader/loader.conf")).contains("default bootj-*");

    // Slot A and the state partition.
    String slotA = disk + "?offset=" + layout.rootA().offsetBytes();
    assertThat(debugfs(slotA, "cat /etc/fstab")).contains("PARTUUID=" + layout.state().partUuid() + " /var ext4");
    assertThat(debugfs(slotA, "cat /usr/etc/hostname")).isEqualTo("tiny\n");
    assertThat(debugfs(slotA, "cat /usr/lib/systemd/system/bootj-readonly-usr.service")).contains("remount,bind,ro");
    assertThat(debugfs(slotA, "stat /usr/lib/systemd/system/local-fs.target.wants/bootj-readonly-usr.service"))
        .contains("Fast link dest: \"../bootj-readonly-usr.service\"");
    assertThat(debugfs(slotA, "ls /var")).doesNotContain("lib");
    String state = disk + "?offset=" + layout.state().offsetBytes();
    assertThat(debugfs(state, "cat /lib/seeded")).isEqualTo("from the image\n");
    assertThat(debugfs(state, "cat /lib/bootj/state.json")).contains("registry.example/tiny:1");

    // Slot B: nothing there.
    assertThat(firstBytesAreZero(disk, layout.rootB().offsetBytes())).isTrue();

    // Status, offline.
    DiskStatus status = new DiskStatusReader().read(disk);
    assertThat(status.defaultSlot()).isEqualTo(Slot.A);
    assertThat(status.bootedSlot()).isNull();
    assertThat(status.slots()).containsOnlyKeys(Slot.A);
    DiskStatus.SlotStatus a = status.slots().get(Slot.A);
    assertThat(a.partUuid()).isEqualTo(layout.rootA().partUuid());
    assertThat(a.image().manifestDigest()).isEqualTo("sha256:" + "ab".repeat(32));
    assertThat(a.image().installedAt()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(a.bootEntryTitle()).isEqualTo("Tiny OS 1 (abababababab, slot a)");
  }

  /**
   * mkfs.vfat once sized the ESP's clusters from the whole image file: above 8 GiB it made a FAT32
   * volume with a FAT16 cluster count, which mtools and UEFI firmware cannot read. Sparse files,
   * so the sizes cost nothing on disk.
   */
  @ParameterizedTest(name = "{0} GiB")
  @ValueSource(longs = {4, 10, 100})
  void espIsValidFat32WhateverTheDiskSize(long gib) throws Exception {
    Path disk = dir.resolve("disk-" + gib + ".img");
    InstallRequest request = new InstallRequest(disk, gib * GIB, false, FilesystemType.EXT4, null, List.of(), null,
        root, new ImageIdentity("registry.example/tiny:1", "sha256:" + "ab".repeat(32), "1"));
    PartitionLayout layout = new DiskInstaller().install(request, progress::add).layout();
    assertThat(Files.size(disk)).isEqualTo(gib * GIB);

    assertThat(mtype(disk + "@@" + layout.esp().offsetBytes(), "::/bootj/a/vmlinuz")).isEqualTo("kernel");
    Path esp = dir.resolve("esp-" + gib + ".img");
    run("dd", "if=" + disk, "of=" + esp, "bs=1M", "skip=" + layout.esp().offsetBytes() / MIB,
        "count=" + layout.esp().sizeBytes() / MIB, "conv=sparse", "status=none");
    String fsck = commands.runForAllOutput(CommandRunner.Command.of(Duration.ofSeconds(60), "fsck.fat", "-n", "-v", esp.toString()));
    assertThat(fsck).contains("4096 bytes per cluster").doesNotContainIgnoringCase("warning");
    java.util.regex.Matcher clusters = java.util.regex.Pattern.compile("(\\d+) data clusters").matcher(fsck);
    assertThat(clusters.find()).as(fsck).isTrue();
    assertThat(Long.parseLong(clusters.group(1))).isGreaterThan(65_525);
    Files.delete(esp);
    Files.delete(disk);
  }

  @Test
  void secondInstallWithoutWipeIsRefusedAndWritesNothing() throws Exception {
    Path disk = dir.resolve("disk.img");
    new DiskInstaller().install(request(disk, FilesystemType.EXT4, false), progress::add);
    // Any write changes the file's mtime; hashing all 2 GiB would only be slower.
    var before = Files.getLastModifiedTime(disk);
    String headBefore = sha256OfStart(disk);
    assertThatThrownBy(() -> new DiskInstaller().install(request(disk, FilesystemType.EXT4, false), progress::add))
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining("already has a partition table; give --wipe");
    assertThat(Files.getLastModifiedTime(disk)).isEqualTo(before);
    assertThat(sha256OfStart(disk)).isEqualTo(headBefore);
  }

  @Test
  void xfsInstallReadsBack() throws Exception {
    assumeTrue(PosixCalls.effectiveUid() == 0 && Tool.MKFS_XFS.locate().isPresent(), "xfs needs root and xfsprogs");
    Path disk = dir.resolve("disk.img");
    InstallResult result = new DiskInstaller().install(request(disk, FilesystemType.XFS, false), progress::add);
    assertThat(result.layout().slotSizeBytes()).isGreaterThanOrEqualTo(300 * MIB);
    DiskStatus status = new DiskStatusReader().read(disk);
    assertThat(status.slots().get(Slot.A).image().imageReference()).isEqualTo("registry.example/tiny:1");
  }

  /**
   * A loop device stands in for a real disk: attached without -P, so the kernel knows no
   * partitions until the installer's partx --update adds them (devtmpfs then makes the nodes).
   */
  @Test
  void blockDeviceInstallWritesThroughPartitionNodes() throws Exception {
    assumeTrue(PosixCalls.effectiveUid() == 0 && Tool.LOSETUP.locate().isPresent() && Tool.PARTX.locate().isPresent(),
        "needs root, losetup and partx");
    Path image = dir.resolve("device.img");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(2 * GIB);
    }
    String loop = run("losetup", "--find", "--show", image.toString()).strip();
    try {
      InstallRequest request = new InstallRequest(Path.of(loop), null, false, FilesystemType.EXT4, null, List.of(),
          null, root, new ImageIdentity("registry.example/tiny:1", "sha256:" + "cd".repeat(32), "1"));
      InstallResult result = new DiskInstaller().install(request, progress::add);
      assertThat(Path.of(loop + "p2")).exists();
      assertThat(run("debugfs", "-R", "cat /etc/fstab", loop + "p2"))
          .contains("PARTUUID=" + result.layout().state().partUuid() + " /var");
      // The same disk read as a file: what was written through the nodes sits at the planned offsets.
      assertThat(new DiskStatusReader().read(image).slots().get(Slot.A).image().manifestDigest())
          .isEqualTo("sha256:" + "cd".repeat(32));
      assertThatThrownBy(() -> new DiskInstaller().install(request, progress::add))
          .hasMessageContaining(loop + " has partitions (" + loop.substring(5) + "p1");
    } finally {
      // partx added the partitions, so it removes them; detaching alone would leave them behind.
      try {
        run("partx", "--delete", loop);
      } catch (IOException alreadyGone) {
        // Nothing to remove.
      }
      run("losetup", "--detach", loop);
    }
  }

  private String run(String... argv) throws IOException {
    return commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), argv));
  }

  private String mtype(String image, String path) throws IOException {
    return commands.run(MtoolsEsp.mtoolsCommand(List.of("mtype", "-i", image, path)));
  }

  private String debugfs(String image, String request) throws IOException {
    return run("debugfs", "-R", request, image);
  }

  private static boolean firstBytesAreZero(Path disk, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      channel.read(buffer, offset);
      for (byte b : buffer.array()) {
        if (b != 0) {
          return false;
        }
      }
      return true;
    }
  }

  // The protective MBR, the primary GPT and the start of the ESP.
  private static String sha256OfStart(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(4 << 20);
      channel.read(buffer, 0);
      digest.update(buffer.flip());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
