package dev.bootj.system.lint;

import java.util.List;

/**
 * What one lint run found.
 *
 * @param rootfs the root filesystem checked
 * @param checked the names of the checks that ran, in order
 * @param skipped the names of the checks left out on request
 * @param findings every problem found, in the order of the checks
 */
public record LintReport(String rootfs, List<String> checked, List<String> skipped, List<Finding> findings) {

  public LintReport {
    checked = List.copyOf(checked);
    skipped = List.copyOf(skipped);
    findings = List.copyOf(findings);
  }

  public long errors() {
    return count(Severity.ERROR);
  }

  public long warnings() {
    return count(Severity.WARNING);
  }

  /** True when the image passes: no error, and no warning either when warnings are fatal. */
  public boolean passes(boolean fatalWarnings) {
    return errors() == 0 && (!fatalWarnings || warnings() == 0);
  }

  private long count(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).count();
  }
}
