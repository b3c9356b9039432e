package dev.bootj.system.install;

import dev.bootj.common.BootjException;
import java.util.List;

/**
 * The install was refused before anything was written to the target. The message lists every
 * problem found, one per line, each saying what to do.
 */
public final class PreflightException extends BootjException {

  private final List<String> problems;

  public PreflightException(List<String> problems) {
    super(Kind.SYSTEM, problems.size() == 1
        ? "cannot install: " + problems.get(0)
        : "cannot install:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
