package dev.bootj.system.status;

import dev.bootj.common.BootjException;

/**
 * The running machine's root is not one of bootj's slots (a live system, a distribution install,
 * or a bootj disk attached to some other machine), so there is no booted slot to report.
 */
public final class NotBootedFromSlotException extends BootjException {

  /** @param root the kernel's {@code root=} value, or null when the command line has none */
  public NotBootedFromSlotException(String root) {
    super(Kind.SYSTEM, "this system was not booted from a bootj slot ("
        + (root == null ? "no root= on the kernel command line" : "root=" + root) + ")");
  }
}
