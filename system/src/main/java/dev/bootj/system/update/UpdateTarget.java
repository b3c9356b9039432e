package dev.bootj.system.update;

import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The machine an update writes to: the running one ({@link BootedMachine}) or a disk that is not
 * running ({@link OfflineDisk}). Either way it has a current slot, which is only read, and the
 * other slot, which an update replaces.
 */
public interface UpdateTarget extends AutoCloseable {

  /** This machine when {@code disk} is null, else that disk (block device or image file) offline. */
  static UpdateTarget open(Path disk, CommandRunner commands) throws IOException {
    return disk == null ? BootedMachine.open(commands) : OfflineDisk.open(disk, commands);
  }

  /** For messages: "this machine", "disk /srv/vm.img". */
  String description();

  DiskStatus status() throws IOException;

  /** The slot in use: the booted one, or on an offline disk the one it boots next. */
  Slot currentSlot();

  /** The current slot's root tree: its /usr/etc, /etc and kargs.d are read from here. */
  Path currentRoot();

  /** Where the state partition (the machine's /var) is mounted. */
  Path stateRoot();

  BootjDisk disk();

  Esp esp();

  /** Where the slot not in use is written: its partition node, or a loop device over its range. */
  dev.bootj.system.disk.PartitionTarget otherSlot() throws IOException;

  /** Everything written through this target is on the disk. */
  void flush() throws IOException;

  @Override
  void close() throws IOException;
}
