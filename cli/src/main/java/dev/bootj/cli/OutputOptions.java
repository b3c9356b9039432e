package dev.bootj.cli;

import dev.bootj.cli.output.ProgressPrinter;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** How a command reports: human text or JSON on stdout, progress on stderr. */
public final class OutputOptions {

  @Option(names = "--json", description = "Print the result as one JSON object on stdout, for scripts.")
  boolean json;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show progress on stderr. Default: on when stdout is a terminal and --json is not given.")
  Boolean progress;

  public boolean json() {
    return json;
  }

  /** A progress printer, or null when progress is off. */
  public ProgressPrinter progressPrinter(PrintWriter err) {
    boolean terminal = System.console() != null;
    boolean show = progress != null ? progress : terminal && !json;
    return show ? new ProgressPrinter(err, terminal) : null;
  }
}
