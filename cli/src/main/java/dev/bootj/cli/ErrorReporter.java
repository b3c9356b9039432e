package dev.bootj.cli;

import dev.bootj.common.BootjException;
import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.oci.reference.InvalidReferenceException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become a line on stderr and an exit code. The stack trace is shown
 * only with {@code --verbose}: users need to know what to do, not where in bootj it happened.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parseResult) {
    var err = cli.getErr();
    if (TerminationSignals.received() != null) {
      // Whatever failed on the way out, the command was stopped, and its cleanups have run.
      err.println("bootj: " + TerminationSignals.stopped().getMessage());
      if (BootjCommand.isVerbose(parseResult)) {
        e.printStackTrace(err);
      }
      err.flush();
      return TerminationSignals.exitStatus();
    }
    err.println("bootj: error: " + message(e));
    if (BootjCommand.isVerbose(parseResult)) {
      e.printStackTrace(err);
    } else if (!explained(e)) {
      err.println("bootj: run again with --verbose for details");
    }
    err.flush();
    return exitCode(e);
  }

  static int exitCode(Exception e) {
    if (e instanceof BootjException b) {
      return ExitCodes.of(b.kind());
    }
    if (e instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof InterruptedIOException || e instanceof InterruptedException) {
      return ExitCodes.INTERRUPTED;
    }
    return ExitCodes.FAILURE;
  }

  /** Whether {@link #message} says what to do, or is only the best description we have. */
  private static boolean explained(Exception e) {
    return e instanceof BootjException || e instanceof IllegalArgumentException || e instanceof FileSystemException
        || e instanceof InterruptedIOException || isDiskFull(e);
  }

  private static boolean isDiskFull(Exception e) {
    return e.getMessage() != null && e.getMessage().contains("No space left");
  }

  static String message(Exception e) {
    if (e instanceof BootjException || e instanceof InvalidReferenceException) {
      return e.getMessage();
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile() + "; run as root or choose paths you can write";
    }
    if (e instanceof NoSuchFileException n) {
      return "no such file or directory: " + n.getFile();
    }
    if (e instanceof FileSystemException f) {
      String reason = f.getReason() != null ? f.getReason() : f.getMessage();
      if (reason != null && reason.contains("No space left")) {
        return "no space left on the device holding " + f.getFile() + "; free some space or use another --store or target";
      }
      return reason + (f.getFile() != null ? ": " + f.getFile() : "");
    }
    if (isDiskFull(e)) {
      return "no space left on device; free some space or use another --store or target";
    }
    if (e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
  }
}
