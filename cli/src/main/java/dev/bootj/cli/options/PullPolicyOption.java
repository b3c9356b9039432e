package dev.bootj.cli.options;

import dev.bootj.oci.PullPolicy;
import java.util.Locale;

/** Reads {@code --pull=always|missing|never}. */
public final class PullPolicyOption {

  private PullPolicyOption() {}

  public static PullPolicy parse(String text) {
    try {
      return PullPolicy.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--pull takes always, missing or never, not '" + text + "'");
    }
  }
}
