package dev.bootj.cli.image;

import dev.bootj.oci.PullPolicy;
import java.util.Locale;

/** Reads {@code --pull=always|missing|never}. */
final class PullPolicies {

  private PullPolicies() {}

  static PullPolicy parse(String text) {
    try {
      return PullPolicy.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--pull takes always, missing or never, not '" + text + "'");
    }
  }
}
