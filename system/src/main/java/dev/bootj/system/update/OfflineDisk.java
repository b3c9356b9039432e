package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.disk.LoopDevice;
import dev.bootj.system.disk.LoopMount;
import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.disk.TargetDisk;
import dev.bootj.system.disk.TargetInspector;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.esp.MtoolsEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import dev.bootj.system.status.DiskStatusReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A bootj disk that is not running (an image file or a device): its current slot is the one it
 * boots next, mounted read-only; its state partition is mounted read-write for state.json; its ESP
 * is reached through mtools. Needs root for the mounts. A disk whose machine lost power is opened
 * like any other: both mounts replay the journals the cut left.
 */
public final class OfflineDisk implements UpdateTarget {

  private final Path path;
  private final BootjDisk disk;
  private final Slot current;
  private final MtoolsEsp esp;
  private final DiskStatusReader reader;
  private final LoopMount currentRoot;
  private final LoopMount state;
  private final CommandRunner commands;
  private LoopDevice otherSlot;

  private OfflineDisk(Path path, BootjDisk disk, Slot current, MtoolsEsp esp, DiskStatusReader reader,
      LoopMount currentRoot, LoopMount state, CommandRunner commands) {
    this.commands = commands;
    this.path = path;
    this.disk = disk;
    this.current = current;
    this.esp = esp;
    this.reader = reader;
    this.currentRoot = currentRoot;
    this.state = state;
  }

  public static OfflineDisk open(Path path, CommandRunner commands) throws IOException {
    BootjDisk disk = BootjDisk.read(path);
    if (disk.disk().blockDevice()) {
      List<String> inUse = new TargetInspector().problems(TargetDisk.inspect(path), true);
      if (!inUse.isEmpty()) {
        throw new BootjException(BootjException.Kind.SYSTEM, inUse.get(0)
            + "; --disk is for a disk that is not running (on the machine itself, leave out --disk)");
      }
    }
    if (!disk.disk().blockDevice()) {
      LoopMount.releaseStale(commands, disk.disk().path());
    }
    DiskStatusReader reader = new DiskStatusReader(commands);
    // The state partition first, read-write: that replays a journal a power cut left, so the
    // status below is read from the record as it really is, and through this one mount (xfs
    // refuses a second mount of the same filesystem).
    LoopMount state = LoopMount.readWrite(commands, disk.target(PartitionRole.STATE));
    try {
      DiskStatus status = reader.read(path, state.path());
      if (status.defaultSlot() == null) {
        throw new BootjException(BootjException.Kind.SYSTEM, path + " has no boot entry of bootj's;"
            + " install it again with 'bootj install to-disk --wipe'");
      }
      Slot current = status.defaultSlot();
      // The current slot is only read (its /etc, kargs, signature policy), but after its journal
      // is replayed: the user's /etc edits of the last seconds before a power cut may live only
      // in the journal, and reading around it would merge an older /etc into the new slot and
      // lose them for good. The replay is what the slot's next boot would do anyway; nothing
      // else is written (the mount is read-only).
      LoopMount root = LoopMount.readOnlyReplayed(commands, disk.target(PartitionRole.of(current)));
      return new OfflineDisk(path, disk, current, new MtoolsEsp(disk.target(PartitionRole.ESP), commands), reader,
          root, state, commands);
    } catch (IOException | RuntimeException e) {
      state.close();
      throw e;
    }
  }

  @Override
  public String description() {
    return "disk " + path;
  }

  @Override
  public DiskStatus status() throws IOException {
    return reader.read(path, state.path());
  }

  @Override
  public Slot currentSlot() {
    return current;
  }

  @Override
  public Path currentRoot() {
    return currentRoot.path();
  }

  @Override
  public Path stateRoot() {
    return state.path();
  }

  @Override
  public BootjDisk disk() {
    return disk;
  }

  @Override
  public Esp esp() {
    return esp;
  }

  /**
   * mkfs refuses an image file while other partitions of it are loop-mounted, so the slot gets a
   * loop device of its own over its byte range (a device's partition node is used as it is).
   */
  @Override
  public PartitionTarget otherSlot() throws IOException {
    PartitionTarget slot = disk.target(PartitionRole.of(current.other()));
    if (otherSlot == null) {
      otherSlot = LoopDevice.over(commands, slot, false);
    }
    return otherSlot.target();
  }

  /**
   * The state partition's journal is checkpointed first: the boot entry written after a flush
   * relies on state.json, and {@code status --disk} reads that without replaying a journal, so it
   * must be in its place before the entry, even if this run is killed or the power goes right after.
   */
  @Override
  public void flush() throws IOException {
    state.checkpoint();
    try (FileChannel channel = FileChannel.open(disk.disk().path(), StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      state.close();
    } finally {
      try {
        currentRoot.close();
      } finally {
        if (otherSlot != null) {
          otherSlot.close();
        }
      }
    }
  }
}
