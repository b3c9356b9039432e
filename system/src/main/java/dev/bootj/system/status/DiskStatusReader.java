package dev.bootj.system.status;

import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.disk.FilesystemProbe;
import dev.bootj.system.disk.LoopMount;
import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.esp.MtoolsEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.BootOrder;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.InstalledBootEntry;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads a bootj disk (image file or block device) without mounting it and without changing a byte:
 * the GPT directly, the ESP through mtools (mtype, mdir) at its offset, the state partition's
 * state.json through debugfs (FILE?offset=N). An xfs state partition is read through a read-only
 * loop device and a read-only mount, which needs root.
 *
 * <p>Neither way replays a journal that a power cut left (replaying writes): on such a disk a
 * state.json replaced in the last seconds before the cut may be read as it was before. A command
 * that mounts the state partition anyway, replaying it, reads the record from that mount instead
 * ({@link #read(Path, Path)}).
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

  /** An offline disk (image file or block device), read-only; its {@code bootedSlot} is null. */
  public DiskStatus read(Path diskPath) throws IOException {
    BootjDisk disk = BootjDisk.read(diskPath);
    return status(disk, readState(disk.target(PartitionRole.STATE)).orElse(null));
  }

  /**
   * The same, with state.json read from {@code stateRoot}, where the caller has the disk's state
   * partition mounted: a second mount would be refused by xfs (the same filesystem UUID twice) and
   * could see an older state.json than the mounted one (see the class comment).
   */
  public DiskStatus read(Path diskPath, Path stateRoot) throws IOException {
    BootjDisk disk = BootjDisk.read(diskPath);
    return status(disk, new StateFile(stateRoot).read());
  }

  private DiskStatus status(BootjDisk disk, StateRecord record) throws IOException {
    List<InstalledBootEntry> found = new MtoolsEsp(disk.target(PartitionRole.ESP), commands).entries();
    return EspEntries.status(disk.disk().path(), BootOrder.of(found), record, disk.slotPartUuids(), null);
  }

  private Optional<StateRecord> readState(PartitionTarget state) throws IOException {
    if (FilesystemProbe.of(state) == FilesystemType.XFS) {
      return readStateFromXfs(state);
    }
    // debugfs prints "File not found" on stderr yet exits 0, so an empty answer means no record.
    String json = commands.run(CommandRunner.Command.of(TIMEOUT, Tool.DEBUGFS.program(), "-R",
        "cat " + StateRecord.PATH_IN_STATE, state.e2fsprogsImage()));
    return json.isBlank() ? Optional.empty() : Optional.of(StateRecord.fromJson(json));
  }

  // xfs has no debugfs-like reader that prints a file: mount it read-only without log recovery
  // (which would write), read, and undo the mount.
  private Optional<StateRecord> readStateFromXfs(PartitionTarget state) throws IOException {
    try (LoopMount mounted = LoopMount.readOnlyAsFound(commands, state)) {
      Path record = mounted.path().resolve(StateRecord.PATH_IN_STATE.substring(1));
      return Files.isRegularFile(record) ? Optional.of(StateRecord.fromJson(Files.readString(record)))
          : Optional.empty();
    }
  }
}
