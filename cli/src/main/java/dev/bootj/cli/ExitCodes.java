package dev.bootj.cli;

import dev.bootj.common.BootjException;

/** bootj's exit codes; {@code --help} lists them. Scripts may rely on them. */
public final class ExitCodes {

  public static final int OK = 0;
  /** The local system refused or something unexpected failed (disk full, permissions, a busy store). */
  public static final int FAILURE = 1;
  /** The command line was wrong: unknown option, missing argument, malformed image reference. */
  public static final int USAGE = 2;
  /** The image could not be reached, found or authorised. */
  public static final int IMAGE_ACCESS = 3;
  /** Content failed verification (digest or signature policy), or an image or layer is malformed or unsafe. */
  public static final int INTEGRITY = 4;
  /** Interrupted (Ctrl-C). */
  public static final int INTERRUPTED = 130;

  /** For every command's --help. */
  static java.util.Map<String, String> descriptions() {
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    map.put("0", "Success.");
    map.put("1", "Failure on this machine (disk full, permissions, store busy, an unexpected error).");
    map.put("2", "Usage error: bad option, argument or image reference.");
    map.put("3", "The image or registry could not be reached, found or authorised.");
    map.put("4", "Verification failed: digest mismatch, signature policy refused the image, malformed or unsafe image content.");
    map.put("129, 130, 143", "Stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM; what the command had made was removed.");
    return map;
  }

  private ExitCodes() {}

  static int of(BootjException.Kind kind) {
    return switch (kind) {
      case IMAGE_ACCESS -> IMAGE_ACCESS;
      case INTEGRITY, UNTRUSTED -> INTEGRITY;
      case SYSTEM -> FAILURE;
    };
  }
}
