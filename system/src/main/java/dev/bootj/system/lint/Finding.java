package dev.bootj.system.lint;

/** One problem a check found: the check's name, its severity, and what to change. */
public record Finding(String check, Severity severity, String message) {

  /** {@code error: NAME: text}, as {@code bootj container lint} prints it. */
  public String line() {
    return severity.label() + ": " + check + ": " + message;
  }
}
