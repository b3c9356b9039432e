package dev.bootj.cli.container;

import dev.bootj.cli.output.Json;
import dev.bootj.system.lint.Finding;
import dev.bootj.system.lint.LintReport;
import dev.bootj.system.lint.Linter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bootj container lint}. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Check an OS image's root filesystem for what would stop bootj from installing, booting,"
          + " updating or rolling it back.",
      "",
      "Meant as the last RUN step of a Containerfile, where the root filesystem is /:",
      "  RUN bootj container lint",
      "Each check has a name and a severity. An error means a machine installed from the image would"
          + " not boot, update or roll back as it should; a warning means something is wasted or lost"
          + " (content in /var or /run). Each finding is one line on stdout, 'error: NAME: text' or"
          + " 'warning: NAME: text', saying what to change in the Containerfile; a summary line follows."
          + " --list shows every check. Paths are resolved inside the root filesystem: an absolute"
          + " symlink in it never leads to the host's files. Nothing is written.",
      "",
      "Exit status 0 when no check found an error (nor a warning, with --fatal-warnings), 1 when"
          + " one did, 2 for an unknown check name."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  RUN bootj container lint                       (in a Containerfile, last)",
      "  bootj container lint --rootfs /mnt/image --fatal-warnings",
      "  bootj container lint --skip var-content --json",
      "  bootj container lint --list"
    })
public final class ContainerLintCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--rootfs", paramLabel = "DIR", defaultValue = "/",
      description = "The image's root filesystem (default: /, the image a RUN step runs in).")
  Path rootfs;

  @Option(names = "--fatal-warnings", description = "Fail (exit 1) on warnings too, not only on errors.")
  boolean fatalWarnings;

  @Option(names = "--list", description = "List the checks (name, severity, what each wants) and check nothing.")
  boolean list;

  @Option(names = "--skip", paramLabel = "NAME",
      description = "Leave out the check NAME (see --list); may be repeated.")
  List<String> skip = List.of();

  @Option(names = "--json", description = "Print the report as one JSON object on stdout, for scripts.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Linter linter = new Linter();
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      int width = linter.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
      for (Linter.CheckDescription check : linter.checks()) {
        out.printf("%-" + width + "s  %-7s  %s%n", check.name(), check.severity().label(), check.description());
      }
      out.flush();
      return 0;
    }
    LintReport report;
    try {
      report = linter.lint(rootfs, new LinkedHashSet<>(skip));
    } catch (IllegalArgumentException unknownCheck) {
      throw new ParameterException(spec.commandLine(), unknownCheck.getMessage());
    }
    boolean passed = report.passes(fatalWarnings);
    if (json) {
      Json.print(out, LintRecord.of(report, fatalWarnings));
    } else {
      for (Finding finding : report.findings()) {
        out.println(finding.line());
      }
      out.println(summary(report, passed));
      out.flush();
    }
    return passed ? 0 : 1;
  }

  private String summary(LintReport report, boolean passed) {
    String counts = plural(report.errors(), "error") + ", " + plural(report.warnings(), "warning") + " from "
        + plural(report.checked().size(), "check") + (report.skipped().isEmpty() ? "" : " (skipped: "
        + String.join(", ", report.skipped()) + ")");
    if (passed) {
      return "lint passed for " + report.rootfs() + ": " + counts;
    }
    return "lint failed for " + report.rootfs() + ": " + counts
        + (report.errors() == 0 ? "; warnings are fatal (--fatal-warnings)" : "");
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
