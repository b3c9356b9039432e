package dev.bootj.system.lint;

import java.util.Locale;

/** How much a failed check matters: an error makes the image unusable with bootj, a warning costs something. */
public enum Severity {
  ERROR,
  WARNING;

  /** "error" or "warning", as the report and the JSON record spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
