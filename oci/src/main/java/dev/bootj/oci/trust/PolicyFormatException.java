package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;

/**
 * A signature policy file that is missing, unreadable or not valid containers-policy.json(5).
 * Nothing in it is used: the whole file is refused, as containers/image refuses it.
 */
public class PolicyFormatException extends BootjException {

  private final String field;

  /**
   * @param file the policy file as the user named it
   * @param field the JSON path of the offending field, or {@code ""} for the whole file
   * @param problem what is wrong
   * @param remedy what to do about it
   */
  PolicyFormatException(String file, String field, String problem, String remedy) {
    super(Kind.SYSTEM, file + ": " + (field.isEmpty() ? "" : field + ": ") + problem + "; " + remedy);
    this.field = field;
  }

  PolicyFormatException(String file, String problem, String remedy, Throwable cause) {
    super(Kind.SYSTEM, file + ": " + problem + "; " + remedy, cause);
    this.field = "";
  }

  /** The JSON path of the offending field ({@code transports.docker["host/repo"][0].keyType}), or {@code ""}. */
  public String field() {
    return field;
  }
}
