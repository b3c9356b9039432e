package dev.bootj.cli.options;

import dev.bootj.cli.output.NoticePrinter;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.oci.ProgressListener;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** How a command reports: human text or JSON on stdout, progress and steps on stderr. */
public final class OutputOptions {

  @Option(names = "--json", description = "Print the result as one JSON object on stdout, for scripts.")
  boolean json;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show progress on stderr. Default: on when stdout is a terminal and --json is not given.")
  Boolean progress;

  private ProgressPrinter printer;

  public boolean json() {
    return json;
  }

  private boolean showProgress() {
    return progress != null ? progress : System.console() != null && !json;
  }

  /** Per-layer progress on {@code err}; when progress is off, only registry retries. */
  public ProgressListener progress(PrintWriter err) {
    ProgressPrinter shown = progressPrinter(err);
    return shown != null ? shown : new NoticePrinter(err, false);
  }

  /** A progress printer, or null when progress is off. */
  public ProgressPrinter progressPrinter(PrintWriter err) {
    if (printer == null && showProgress()) {
      printer = new ProgressPrinter(err, System.console() != null);
    }
    return printer;
  }

  /**
   * Where a service's step lines go: stderr when progress is shown. Warnings ("warning: ...") are
   * always shown: they say something the user must know.
   */
  public Consumer<String> steps(PrintWriter err) {
    return steps(err, showProgress());
  }

  /**
   * Step lines on stderr, shown whatever the terminal when {@code show} (a service's steps are
   * its log in the journal); warnings always.
   */
  public Consumer<String> steps(PrintWriter err, boolean show) {
    return line -> {
      // Every step starts here: a signal received since stops the command before the next one.
      TerminationSignals.checkpoint();
      if (show || line.startsWith("warning: ")) {
        err.println(show ? line : "bootj: " + line);
        err.flush();
      }
    };
  }
}
