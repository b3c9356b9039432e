package dev.bootj.system.update;

import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.disk.TargetDisk;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.esp.MountedEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.BootedStatusReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A running machine as directories, for the update tests without root. {@code root} stands in for
 * its "/" booted from slot A: the current slot's /etc, /usr/etc and kargs.d, /proc/cmdline naming
 * slot A's PARTUUID, the state partition at root/var and the ESP mounted at root/efi (so {@link
 * BootedStatusReader} reads its status as it reads a real machine's). The disk is an image file
 * ({@link #createDisk}): slot A a 16 MiB ext4 at 1 MiB (read for its type), slot B a 256 MiB range
 * at 32 MiB, written by the real mkfs.ext4.
 */
final class DirectoryMachine implements UpdateTarget {

  static final String KERNEL = "6.1.0-50-amd64";
  static final UUID ROOT_A = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000002");
  static final UUID ROOT_B = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000003");
  static final long MIB = 1024 * 1024;
  static final long SLOT_B = 32 * MIB;

  private final Path root;
  private final Path slotFile;
  private final CommandRunner commands;
  private final BootjDisk disk;

  /**
   * @param diskFile made by {@link #createDisk}
   * @param slotFile where slot B is written: {@code diskFile}, or a path that cannot be opened to
   *     make the write fail
   */
  DirectoryMachine(Path root, Path diskFile, Path slotFile, CommandRunner commands) throws IOException {
    this.root = root;
    this.slotFile = slotFile;
    this.commands = commands;
    Map<PartitionRole, Partition> partitions = new EnumMap<>(PartitionRole.class);
    partitions.put(PartitionRole.ESP, new Partition(PartitionRole.ESP, 0, MIB, UUID.randomUUID()));
    partitions.put(PartitionRole.ROOT_A, new Partition(PartitionRole.ROOT_A, MIB, 16 * MIB, ROOT_A));
    partitions.put(PartitionRole.ROOT_B, new Partition(PartitionRole.ROOT_B, SLOT_B, 256 * MIB, ROOT_B));
    partitions.put(PartitionRole.STATE, new Partition(PartitionRole.STATE, 0, MIB, UUID.randomUUID()));
    disk = new BootjDisk(new TargetDisk(diskFile, false, Files.size(diskFile)), partitions);
  }

  /** A sparse 300 MiB disk image whose slot A holds an ext4 filesystem (the new slot gets the same type). */
  static Path createDisk(Path file, CommandRunner commands) throws IOException {
    try (RandomAccessFile disk = new RandomAccessFile(file.toFile(), "rw")) {
      disk.setLength(300 * MIB);
    }
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "mkfs.ext4", "-q", "-F", "-E", "offset=" + MIB,
        file.toString(), "16M"));
    return file;
  }

  /**
   * Writes what a machine installed with {@code image} in slot A and booted from it has outside its
   * /etc: the kernel command line, loader.conf and slot A's entry on the ESP, and state.json.
   */
  static void bootedFromSlotA(Path root, ImageIdentity image) throws IOException {
    write(root, "proc/cmdline", "BOOT_IMAGE=/bootj/a/vmlinuz root=PARTUUID=" + ROOT_A + " rw\n");
    write(root, "efi/loader/loader.conf", "timeout 3\n");
    BootEntry a = BootEntry.forSlot(Slot.A, OsRelease.parse("PRETTY_NAME=Tiny\n"), image, KERNEL, ROOT_A, List.of(),
        List.of());
    write(root, "efi/loader/entries/" + a.fileName(), a.text());
    write(root, "var/lib/bootj/state.json", StateRecord.firstInstall(Slot.A, image, KERNEL, Instant.EPOCH).toJson());
  }

  static void write(Path root, String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /**
   * The services' way to this machine: the lock under {@code work}/run, staging under
   * {@code work}/staging, the machine opened afresh at each call as the real one is.
   */
  static MachineAccess access(Path root, Path diskFile, Path work, CommandRunner commands) {
    return new MachineAccess() {
      @Override
      public UpdateLock lock(Path ignored) throws IOException {
        return UpdateLock.acquire(work.resolve("run"), "update.lock", "the test machine");
      }

      @Override
      public UpdateTarget open(Path ignored) throws IOException {
        return new DirectoryMachine(root, diskFile, diskFile, commands);
      }

      @Override
      public Path clearedStaging(Path ignored) throws IOException {
        Path staging = work.resolve("staging");
        SubtreeDeleter.forThisProcess().delete(staging);
        return staging;
      }

      @Override
      public DiskStatus status(Path ignored) throws IOException {
        return new BootedStatusReader(root).read();
      }

      @Override
      public MachineRoot root(Path ignored, DiskStatus status) {
        return MachineRoot.at(root, "the test machine");
      }
    };
  }

  @Override
  public String description() {
    return "the test machine";
  }

  @Override
  public DiskStatus status() throws IOException {
    return new BootedStatusReader(root).read();
  }

  @Override
  public Slot currentSlot() {
    return Slot.A;
  }

  @Override
  public Path currentRoot() {
    return root;
  }

  @Override
  public Path stateRoot() {
    return root.resolve("var");
  }

  @Override
  public BootjDisk disk() {
    return disk;
  }

  @Override
  public Esp esp() {
    return new MountedEsp(root.resolve("efi"), commands);
  }

  @Override
  public PartitionTarget otherSlot() {
    return new PartitionTarget(slotFile, SLOT_B, 256 * MIB);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
