package dev.bootj.installer.boot;

import dev.bootj.installer.BootEntry;
import dev.bootj.installer.Slot;
import dev.bootj.installer.disk.PartitionTarget;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.oci.unpack.SubtreeDeleter;
import dev.bootj.installer.host.Tool;
import dev.bootj.installer.image.BootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Makes and fills the EFI System Partition without mounting it (this kernel may have no vfat, and
 * an image file has no partition nodes): mkfs.vfat at the partition's sector offset, then mtools
 * with FILE@@OFFSET. Layout on the ESP:
 *
 * <pre>
 * EFI/systemd/systemd-bootx64.efi   EFI/BOOT/BOOTX64.EFI (removable-media path: no NVRAM entry needed)
 * loader/loader.conf                loader/entries/bootj-a.conf
 * bootj/a/vmlinuz                   bootj/a/initrd
 * </pre>
 */
public final class EspWriter {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int SECTOR = 512;
  /** Fewer clusters than this make a FAT16 volume, whatever the boot sector says. */
  private static final long FAT32_MIN_CLUSTERS = 65_525;

  private final CommandRunner commands;

  public EspWriter(CommandRunner commands) {
    this.commands = commands;
  }

  public void write(PartitionTarget esp, Path bootLoader, Slot slot, BootFiles bootFiles, BootEntry entry,
      LoaderConfig loaderConfig) throws IOException {
    format(esp);
    mtools(Tool.MMD, esp, "::/EFI", "::/EFI/BOOT", "::/EFI/systemd", "::/loader", "::/loader/entries",
        "::/bootj", "::/bootj/" + slot.id());
    copy(esp, bootLoader, "::/EFI/systemd/systemd-bootx64.efi");
    copy(esp, bootLoader, "::/EFI/BOOT/BOOTX64.EFI");
    copy(esp, bootFiles.kernel(), "::" + entry.kernelPath());
    copy(esp, bootFiles.initramfs(), "::" + entry.initrdPath());
    Path scratch = Files.createTempDirectory("bootj-esp-");
    try {
      Path entryFile = Files.writeString(scratch.resolve(entry.fileName()), entry.text());
      Path loaderFile = Files.writeString(scratch.resolve("loader.conf"), loaderConfig.text());
      copy(esp, entryFile, "::/loader/entries/" + entry.fileName());
      copy(esp, loaderFile, "::/loader/loader.conf");
    } finally {
      SubtreeDeleter.forThisProcess().delete(scratch);
    }
  }

  private void format(PartitionTarget esp) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of(Tool.MKFS_VFAT.program(), "-F", "32", "-n", "ESP",
        "-S", String.valueOf(SECTOR), "-s", String.valueOf(sectorsPerCluster(esp.sizeBytes()))));
    if (esp.isRangeOfFile()) {
      args.add("--offset=" + esp.offsetBytes() / SECTOR);
      args.add(esp.path().toString());
      args.add(String.valueOf(esp.sizeBytes() / 1024));
    } else {
      args.add(esp.path().toString());
    }
    commands.run(new CommandRunner.Command(args, java.util.Map.of(), TIMEOUT));
  }

  /**
   * The cluster size, chosen from the ESP's own size. Left to itself, mkfs.vfat sizes clusters
   * from the whole file it is given, not from the block count after {@code --offset}: on an image
   * file over 8 GiB a 512 MiB ESP got 8 KiB clusters, too few for FAT32 (65,525 at least), which
   * mtools and UEFI firmware that go by the cluster count cannot read. 4 KiB clusters, as
   * mkfs.vfat picks for a 512 MiB volume, or smaller ones for a small ESP so that the count stays
   * well above the minimum (the FATs and reserved sectors take a little of the space).
   */
  static int sectorsPerCluster(long espBytes) {
    long sectors = espBytes / SECTOR;
    for (int perCluster = 8; perCluster > 1; perCluster /= 2) {
      if (sectors / perCluster >= FAT32_MIN_CLUSTERS + FAT32_MIN_CLUSTERS / 16) {
        return perCluster;
      }
    }
    return 1;
  }

  private void copy(PartitionTarget esp, Path from, String to) throws IOException {
    mtools(Tool.MCOPY, esp, from.toString(), to);
  }

  private void mtools(Tool tool, PartitionTarget esp, String... args) throws IOException {
    List<String> argv = new java.util.ArrayList<>(List.of(tool.program(), "-i", esp.mtoolsImage()));
    argv.addAll(List.of(args));
    commands.run(mtoolsCommand(argv));
  }

  /** mtools refuses images whose geometry it finds odd unless told not to check. */
  public static CommandRunner.Command mtoolsCommand(List<String> argv) {
    return new CommandRunner.Command(argv, java.util.Map.of("MTOOLS_SKIP_CHECK", "1"), TIMEOUT);
  }
}
