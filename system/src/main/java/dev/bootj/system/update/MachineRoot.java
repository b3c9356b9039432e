package dev.bootj.system.update;

import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.disk.LoopMount;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.PartitionRole;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The root tree of the machine a command is about, for reading its own files (its signature
 * policy): {@code /} on the running machine, or the slot a disk boots next, mounted read-only (its
 * journal not replayed) for as long as this is open. An update itself reads these through its
 * {@link UpdateTarget}; this is for the commands that change nothing ({@code upgrade --check}).
 */
final class MachineRoot implements AutoCloseable {

  private final Path path;
  private final String description;
  private final LoopMount mount;

  private MachineRoot(Path path, String description, LoopMount mount) {
    this.path = path;
    this.description = description;
    this.mount = mount;
  }

  /** This machine when {@code disk} is null, else the slot {@code status} says {@code disk} boots next. */
  static MachineRoot of(Path disk, DiskStatus status, CommandRunner commands) throws IOException {
    if (disk == null) {
      return new MachineRoot(Path.of("/"), "this machine", null);
    }
    // Read as found, the journal of a power cut not replayed: a check changes nothing. A policy
    // edited in the last seconds before such a cut may be read as it was before; the update
    // itself replays the journal and reads the real one (OfflineDisk).
    LoopMount mount = LoopMount.readOnlyAsFound(commands, BootjDisk.read(disk).target(PartitionRole.of(status.defaultSlot())));
    return new MachineRoot(mount.path(), "disk " + disk, mount);
  }

  /** A root tree already at hand, nothing mounted (tests). */
  static MachineRoot at(Path path, String description) {
    return new MachineRoot(path, description, null);
  }

  Path path() {
    return path;
  }

  /** For messages: "this machine", "disk /srv/vm.img". */
  String description() {
    return description;
  }

  @Override
  public void close() throws IOException {
    if (mount != null) {
      mount.close();
    }
  }
}
