package dev.bootj.cli.options;

import dev.bootj.common.BootjException;
import dev.bootj.system.update.Reboot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which machine switch, upgrade and rollback act on: this one, or a disk given with --disk. */
public final class UpdateTargetOptions {

  @Option(names = "--disk", paramLabel = "TARGET",
      description = "Update a bootj disk (block device or image file) that is not running, instead of this machine.")
  Path disk;

  @Option(names = "--apply", description = "Reboot into the result right away (not with --disk).")
  boolean apply;

  /** The disk given with --disk, or null for this machine. */
  public Path disk() {
    return disk;
  }

  public boolean offline() {
    return disk != null;
  }

  public boolean apply() {
    return apply;
  }

  /** Refuses what cannot work before anything is pulled: --apply with --disk, not root. */
  public void check(String command) throws BootjException {
    if (apply && disk != null) {
      throw new IllegalArgumentException("--apply reboots this machine; it cannot be used with --disk");
    }
    Privileges.requireRoot(command + " writes the other slot, the EFI system partition and /var/lib/bootj");
  }

  /** With --apply, reboots this machine now, into what the command just made boot next. */
  public void rebootIfAsked(PrintWriter err) throws IOException {
    if (apply) {
      err.println("Rebooting");
      err.flush();
      Reboot.now();
    }
  }
}
