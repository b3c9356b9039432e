package dev.bootj.system.update;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.status.StatusService;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the update services reach the machine they change ({@code disk} null: this machine, else
 * that disk): its update lock, the machine itself, where an image is unpacked before it is
 * staged, and, for the checks that change nothing, its status and root tree. {@link #of} is the
 * real thing (/run/bootj, /proc, /sys, block devices and loop mounts); tests give directories, so
 * the services run without root.
 */
interface MachineAccess {

  UpdateLock lock(Path disk) throws IOException;

  UpdateTarget open(Path disk) throws IOException;

  /** The staging directory, with what a run killed by SIGKILL left there removed. */
  Path clearedStaging(Path disk) throws IOException;

  /** The machine's status, read without opening it for writing. */
  DiskStatus status(Path disk) throws IOException;

  /** The root tree of the slot {@code status} says boots next, to read the machine's own files. */
  MachineRoot root(Path disk, DiskStatus status) throws IOException;

  /** This machine, or a disk (block device or image file) that is not running. */
  static MachineAccess of(CommandRunner commands) {
    return new MachineAccess() {
      @Override
      public UpdateLock lock(Path disk) throws IOException {
        return UpdateLock.of(disk);
      }

      @Override
      public UpdateTarget open(Path disk) throws IOException {
        return UpdateTarget.open(disk, commands);
      }

      @Override
      public Path clearedStaging(Path disk) throws IOException {
        return UpdateService.clearedStaging(disk);
      }

      @Override
      public DiskStatus status(Path disk) throws IOException {
        return disk == null ? new StatusService().bootedStatus() : new StatusService().diskStatus(disk);
      }

      @Override
      public MachineRoot root(Path disk, DiskStatus status) throws IOException {
        return MachineRoot.of(disk, status, commands);
      }
    };
  }
}
