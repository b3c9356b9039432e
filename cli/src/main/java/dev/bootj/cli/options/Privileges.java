package dev.bootj.cli.options;

import dev.bootj.common.BootjException;
import dev.bootj.common.posix.PosixCalls;

/** The one root check of the command line: commands that partition, mount or write slots call it first. */
public final class Privileges {

  private Privileges() {}

  /**
   * @param what what the command does that needs root, for the message ("install to-disk
   *     partitions /dev/vda and restores file owners")
   */
  public static void requireRoot(String what) throws BootjException {
    if (!PosixCalls.isRoot()) {
      throw new BootjException(BootjException.Kind.SYSTEM, what + "; run it as root (e.g. with sudo)");
    }
  }
}
