package dev.bootj.system.etc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * /etc/machine-id, the machine's identity for systemd, the journal and DHCP client ids. An empty
 * file makes systemd generate a new id at the next boot and commit it to /etc
 * (systemd-machine-id-commit.service). Empty, not missing nor "uninitialized": those two mean a
 * first boot (machine-id(5)), which starts interactive wizards such as systemd-firstboot, enabled
 * in Debian, that would wait on the console of an unattended machine.
 */
public final class MachineId {

  public static final String NAME = "machine-id";

  private MachineId() {}

  /** Leaves {@code etc}/machine-id empty; a symlink there is replaced, never followed. */
  public static void clear(Path etc) throws IOException {
    Path file = etc.resolve(NAME);
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--")));
  }
}
