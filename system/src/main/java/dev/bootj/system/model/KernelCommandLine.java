package dev.bootj.system.model;

import java.util.Optional;
import java.util.UUID;

/** The parts of /proc/cmdline status needs: which partition the kernel mounted as root. */
public final class KernelCommandLine {

  private static final String ROOT = "root=";
  private static final String PARTUUID = "PARTUUID=";

  private KernelCommandLine() {}

  /** The value of {@code root=}; the kernel honours the last one given, and so does this. */
  public static Optional<String> root(String cmdline) {
    String root = null;
    for (String word : cmdline.strip().split("\\s+")) {
      if (word.startsWith(ROOT)) {
        root = word.substring(ROOT.length());
      }
    }
    return Optional.ofNullable(root);
  }

  /**
   * The PARTUUID a {@code root=PARTUUID=...} value names; empty for any other form (UUID=, LABEL=,
   * /dev/...), and for PARTUUID=.../PARTNROFF=n, which names a neighbour rather than the partition.
   */
  public static Optional<UUID> partUuid(String root) {
    if (root == null || !root.regionMatches(true, 0, PARTUUID, 0, PARTUUID.length())) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(root.substring(PARTUUID.length())));
    } catch (IllegalArgumentException notAUuid) {
      return Optional.empty();
    }
  }
}
