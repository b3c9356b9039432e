package dev.bootj.installer;

import dev.bootj.installer.boot.BootOrder;
import dev.bootj.installer.boot.InstalledBootEntry;
import dev.bootj.installer.boot.OfflineEspEntries;
import dev.bootj.installer.disk.GptReader;
import dev.bootj.installer.disk.PartitionTarget;
import dev.bootj.installer.disk.TargetDisk;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.installer.host.Tool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a bootj disk (image file or block device) without mounting it and without changing a byte:
 * the GPT directly, the ESP through mtools (mtype, mdir) at its offset, the state partition's
 * state.json through debugfs (FILE?offset=N). An xfs state partition is read through a read-only
 * loop device and a read-only mount, which needs root.
 */
public final class DiskStatusReader {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private final CommandRunner commands;

  public DiskStatusReader() {
    this(new CommandRunner());
  }

  public DiskStatusReader(CommandRunner commands) {
    this.commands = commands;
  }

  /**
   * The running machine's status, with the slot it booted from: see {@link BootedStatusReader}.
   *
   * @throws NotBootedFromSlotException when the machine's root is not a bootj slot
   */
  public DiskStatus readBooted() throws IOException {
    return new BootedStatusReader().read();
  }

  /** An offline disk (image file or block device), read-only; its {@code bootedSlot} is null. */
  public DiskStatus read(Path diskPath) throws IOException {
    TargetDisk disk = TargetDisk.inspect(diskPath);
    List<GptReader.Entry> entries = new GptReader().read(disk.path());
    GptReader.Entry esp = find(entries, PartitionRole.ESP, diskPath);
    GptReader.Entry state = find(entries, PartitionRole.STATE, diskPath);
    PartitionTarget espTarget = disk.partition(asPartition(PartitionRole.ESP, esp));
    PartitionTarget stateTarget = disk.partition(asPartition(PartitionRole.STATE, state));

    StateRecord record = readState(stateTarget).orElse(null);
    List<InstalledBootEntry> found = OfflineEspEntries.read(commands, espTarget);
    Map<Slot, UUID> partUuids = new EnumMap<>(Slot.class);
    for (Slot slot : Slot.values()) {
      partUuids.put(slot, find(entries, PartitionRole.of(slot), diskPath).partUuid());
    }
    return EspEntries.status(disk.path(), BootOrder.of(found), record, partUuids, null);
  }

  private Optional<StateRecord> readState(PartitionTarget state) throws IOException {
    if (isXfs(state)) {
      return readStateFromXfs(state);
    }
    // debugfs prints "File not found" on stderr yet exits 0, so an empty answer means no record.
    String json = commands.run(CommandRunner.Command.of(TIMEOUT, Tool.DEBUGFS.program(), "-R",
        "cat " + StateRecord.PATH_IN_STATE, state.e2fsprogsImage()));
    return json.isBlank() ? Optional.empty() : Optional.of(StateRecord.fromJson(json));
  }

  // xfs has no debugfs-like reader that prints a file: attach the range read-only, mount it
  // read-only without log recovery (which would write), read, and undo both.
  private Optional<StateRecord> readStateFromXfs(PartitionTarget state) throws IOException {
    String device = state.path().toString();
    if (state.isRangeOfFile()) {
      device = commands.run(CommandRunner.Command.of(TIMEOUT, Tool.LOSETUP.program(), "--find", "--show",
          "--read-only", "--offset", String.valueOf(state.offsetBytes()), "--sizelimit",
          String.valueOf(state.sizeBytes()), state.path().toString())).strip();
    }
    Path mountPoint = Files.createTempDirectory("bootj-status-");
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.MOUNT.program(), "-t", "xfs", "-o", "ro,norecovery",
          device, mountPoint.toString()));
      try {
        Path record = mountPoint.resolve(StateRecord.PATH_IN_STATE.substring(1));
        return Files.isRegularFile(record) ? Optional.of(StateRecord.fromJson(Files.readString(record)))
            : Optional.empty();
      } finally {
        commands.run(CommandRunner.Command.of(TIMEOUT, Tool.UMOUNT.program(), mountPoint.toString()));
      }
    } finally {
      if (state.isRangeOfFile()) {
        commands.run(CommandRunner.Command.of(TIMEOUT, Tool.LOSETUP.program(), "--detach", device));
      }
      Files.deleteIfExists(mountPoint);
    }
  }

  // An xfs superblock starts with the magic "XFSB" at the partition's first byte.
  private static boolean isXfs(PartitionTarget partition) throws IOException {
    try (FileChannel channel = FileChannel.open(partition.path(), StandardOpenOption.READ)) {
      ByteBuffer magic = ByteBuffer.allocate(4);
      channel.read(magic, partition.offsetBytes());
      return new String(magic.array(), StandardCharsets.US_ASCII).equals("XFSB");
    }
  }

  private static GptReader.Entry find(List<GptReader.Entry> entries, PartitionRole role, Path disk)
      throws IOException {
    return entries.stream()
        .filter(e -> e.number() == role.number() && e.type().equals(role.type()))
        .findFirst()
        .orElseThrow(() -> new IOException(disk + " is not a bootj disk: partition " + role.number()
            + " is not the " + role.displayName() + " partition"));
  }

  private static Partition asPartition(PartitionRole role, GptReader.Entry entry) {
    return new Partition(role, entry.offsetBytes(), entry.sizeBytes(), entry.partUuid());
  }
}
