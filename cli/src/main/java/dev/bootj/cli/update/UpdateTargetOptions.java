package dev.bootj.cli.update;

import dev.bootj.cli.BootjCommand;
import dev.bootj.common.BootjException;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.update.BootedMachine;
import dev.bootj.system.update.OfflineDisk;
import dev.bootj.system.update.UpdateLock;
import dev.bootj.system.update.UpdateTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.Option;

/** Which machine switch, upgrade and rollback act on: this one, or a disk given with --disk. */
public final class UpdateTargetOptions {

  @Option(names = "--disk", paramLabel = "TARGET",
      description = "Update a bootj disk (block device or image file) that is not running, instead of this machine.")
  Path disk;

  @Option(names = "--apply", description = "Reboot into the result right away (not with --disk).")
  boolean apply;

  boolean offline() {
    return disk != null;
  }

  /** Refuses what cannot work before anything is pulled: not root, --apply with --disk. */
  void check(String command) throws BootjException {
    if (apply && disk != null) {
      throw new IllegalArgumentException("--apply reboots this machine; it cannot be used with --disk");
    }
    if (!BootjCommand.isRoot()) {
      throw new BootjException(BootjException.Kind.SYSTEM, command + " must run as root: it writes the other"
          + " slot, the EFI system partition and /var/lib/bootj; run it with sudo");
    }
  }

  /** One update at a time per machine or disk; the lock is taken before anything is read. */
  UpdateLock lock() throws IOException {
    if (disk == null) {
      return UpdateLock.acquire(UpdateLock.DIRECTORY, "update.lock", "this machine");
    }
    Path real = disk.toRealPath();
    return UpdateLock.acquire(UpdateLock.DIRECTORY, "disk-" + shortHash(real.toString()) + ".lock", "disk " + real);
  }

  UpdateTarget open(CommandRunner commands) throws IOException {
    return disk == null ? BootedMachine.open(commands) : OfflineDisk.open(disk, commands);
  }

  /**
   * Where the new image is unpacked before it is written to the slot. On the running machine,
   * under /var (the state partition), never in the booted slot's root; offline, in the temp
   * directory, one per disk, so that updates of two disks at once do not share it.
   */
  Path stagingDirectory() throws IOException {
    if (disk == null) {
      return Path.of("/var/lib/bootj/staging");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "bootj-update-" + shortHash(disk.toRealPath().toString()));
  }

  boolean apply() {
    return apply;
  }

  private static String shortHash(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
