package dev.bootj.system.host;

import dev.bootj.common.posix.TerminationSignals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one way the installer runs an external program: with a deadline, stdout captured for the
 * caller, stderr kept for the error message. A failure becomes an IOException whose one-line
 * message names the command and the last thing it said on stderr, which is nearly always the
 * useful line ("mkfs.ext4: Could not allocate block ...").
 */
public class CommandRunner {

  /** Where the tools live on Debian and Fedora; sbin is often missing from a user's PATH. */
  static final String SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final int MAX_CAPTURE = 1 << 20;
  private static final int MAX_SHOWN_COMMAND = 200;

  /** A program and its arguments, extra environment variables, and how long it may run. */
  public record Command(List<String> argv, Map<String, String> environment, Duration timeout) {
    public Command {
      argv = List.copyOf(argv);
      environment = Map.copyOf(environment);
    }

    public static Command of(Duration timeout, String... argv) {
      return new Command(List.of(argv), Map.of(), timeout);
    }

    public Command withEnvironment(String name, String value) {
      Map<String, String> more = new java.util.HashMap<>(environment);
      more.put(name, value);
      return new Command(argv, more, timeout);
    }

    /** The command as a person would type it, shortened so an error stays one readable line. */
    public String shown() {
      String text = String.join(" ", argv);
      return text.length() <= MAX_SHOWN_COMMAND ? text : text.substring(0, MAX_SHOWN_COMMAND) + "...";
    }
  }

  /** Runs the command and returns its stdout; any non-zero exit or timeout is an IOException. */
  public String run(Command command) throws IOException {
    return execute(command).stdout();
  }

  /**
   * Like {@link #run}, but returns stdout followed by stderr: for tools that answer on stderr,
   * such as {@code mke2fs -V}.
   */
  public String runForAllOutput(Command command) throws IOException {
    Output output = execute(command);
    return output.stdout() + output.stderr();
  }

  private record Output(String stdout, String stderr) {}

  private Output execute(Command command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    Map<String, String> env = builder.environment();
    env.put("PATH", SEARCH_PATH + ":" + env.getOrDefault("PATH", ""));
    // Tools' messages in English, so the stderr line we quote is the one people search for.
    env.put("LC_ALL", "C");
    env.putAll(command.environment());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(command.argv().get(0) + " could not be started: " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> stdout = drain(process.getInputStream());
    CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
    boolean finished = false;
    long started = System.nanoTime();
    long deadline = started + command.timeout().toNanos();
    try {
      // In slices, so that a termination signal stops a long mkfs now, not when it ends.
      while (!finished && System.nanoTime() - deadline < 0) {
        if (TerminationSignals.arrivedAfter(started)) {
          process.destroyForcibly();
          throw TerminationSignals.stopped();
        }
        finished = process.waitFor(Math.min(250, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
            TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.shown(), e);
    }
    if (!finished) {
      process.destroyForcibly();
      throw new IOException(command.shown() + " did not finish within "
          + command.timeout().toSeconds() + " s; stopped it");
    }
    String out = new String(stdout.join(), StandardCharsets.UTF_8);
    String err = new String(stderr.join(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      String said = lastLine(err);
      if (said.isEmpty()) {
        said = lastLine(out);
      }
      throw new IOException(command.shown() + " failed (exit " + process.exitValue() + ")"
          + (said.isEmpty() ? "" : ": " + said));
    }
    return new Output(out, err);
  }

  /**
   * The line that says what went wrong: the last non-blank one, or, when the tool printed its
   * usage after the message (mkfs.xfs does), the last one before "Usage:".
   */
  static String lastLine(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("Usage:") && !lines.isEmpty()) {
        break;
      }
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  // Each stream gets its own reader so a chatty tool never blocks on a full pipe; only the first
  // MiB is kept, which is all any message we quote needs.
  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try (stream) {
        int n;
        while ((n = stream.read(buffer)) >= 0) {
          int room = MAX_CAPTURE - kept.size();
          if (room > 0) {
            kept.write(buffer, 0, Math.min(room, n));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return kept.toByteArray();
    }, runnable -> {
      Thread thread = new Thread(runnable, "command-output");
      thread.setDaemon(true);
      thread.start();
    });
  }
}
