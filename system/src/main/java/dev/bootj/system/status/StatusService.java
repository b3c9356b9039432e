package dev.bootj.system.status;

import dev.bootj.system.model.DiskStatus;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code bootj status}: what a machine holds and what it boots next, read without changing a
 * byte. On the running machine from /proc/cmdline, the mounted ESP and /var ({@link
 * BootedStatusReader}); for a disk that is not running from its GPT, its ESP through mtools and its
 * state partition through debugfs ({@link DiskStatusReader}).
 */
public final class StatusService {

  /** This machine when {@code disk} is null, else that disk; as the versioned record. */
  public HostStatus status(Path disk) throws IOException {
    return HostStatus.of(disk == null ? bootedStatus() : diskStatus(disk));
  }

  /**
   * @throws NotBootedFromSlotException when this machine's root is not a bootj slot
   */
  public DiskStatus bootedStatus() throws IOException {
    return new BootedStatusReader().read();
  }

  public DiskStatus diskStatus(Path disk) throws IOException {
    return new DiskStatusReader().read(disk);
  }
}
