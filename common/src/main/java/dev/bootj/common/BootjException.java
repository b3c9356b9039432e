package dev.bootj.common;

import java.io.IOException;

/**
 * A failure whose message is written for the person at the terminal: it says what is wrong and,
 * where there is one, what to do about it. The CLI prints the message alone (no stack trace unless
 * {@code --verbose}) and exits with {@link #kind()}'s code.
 */
public class BootjException extends IOException {

  /** What went wrong, coarsely; each kind has its own documented exit code. */
  public enum Kind {
    /** The image, registry or file named could not be reached, found or authorised. */
    IMAGE_ACCESS,
    /** Content did not match its digest, or a layer or manifest is malformed or unsafe. */
    INTEGRITY,
    /** The local system refused (disk full, permissions, a busy store). */
    SYSTEM,
    /**
     * The signature policy (containers-policy.json) refused the image: no signature, an
     * untrusted key, another digest or identity signed, or a scope that rejects everything.
     */
    UNTRUSTED
  }

  private final Kind kind;

  public BootjException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BootjException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
