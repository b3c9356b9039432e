package dev.bootj.cli.container;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.system.lint.LintReport;
import dev.bootj.system.status.HostStatus;
import java.util.List;

/** What {@code bootj container lint --json} prints; docs/schemas/lint-v1.schema.json. */
@JsonPropertyOrder({"apiVersion", "kind", "rootfs", "passed", "fatalWarnings", "errors", "warnings", "checked",
    "skipped", "findings"})
record LintRecord(String apiVersion, String kind, String rootfs, boolean passed, boolean fatalWarnings, long errors,
    long warnings, List<String> checked, List<String> skipped, List<Finding> findings) {

  /** @param severity error or warning */
  @JsonPropertyOrder({"check", "severity", "message"})
  record Finding(String check, String severity, String message) {}

  static LintRecord of(LintReport report, boolean fatalWarnings) {
    return new LintRecord(HostStatus.API_VERSION, "LintReport", report.rootfs(), report.passes(fatalWarnings),
        fatalWarnings, report.errors(), report.warnings(), report.checked(), report.skipped(),
        report.findings().stream().map(f -> new Finding(f.check(), f.severity().label(), f.message())).toList());
  }
}
