package dev.bootj.cli;

import dev.bootj.common.posix.TerminationSignals;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The {@code bootj} entry point; {@link #run} is what tests call, without {@code System.exit}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // SIGINT, SIGTERM, SIGHUP: stop the command and remove what it made, then exit 128 + N.
    TerminationSignals.install();
    int status = run(System.out, System.err, args);
    System.exit(TerminationSignals.exitStatus() >= 0 ? TerminationSignals.exitStatus() : status);
  }

  /** Runs one bootj command line and returns its exit code (see {@link ExitCodes}). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = newCommandLine();
    cli.setOut(outWriter);
    cli.setErr(errWriter);
    try {
      return cli.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new BootjCommand());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new UsageErrorReporter());
    cli.setUsageHelpAutoWidth(true);
    ManPageLayout.apply(cli);
    return cli;
  }
}
