package dev.bootj.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * bootj as a process of its own ({@code java -jar bootj.jar}), as a user or systemd starts it: one
 * that a test can signal or kill, unlike {@link Bootj}, which runs in the test's JVM. The launcher
 * is started directly, with no shell between, so the {@link Process} is bootj's JVM itself.
 */
public final class BootjProcess {

  /** The jar the cli module builds; the reactor builds it before this module's tests run. */
  public static final Path JAR = Path.of("..", "cli", "target", "bootj.jar").toAbsolutePath().normalize();
  /** The launcher of the JVM that runs the tests: a binary, never a wrapper script. */
  public static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  private BootjProcess() {}

  /** Starts {@code bootj --store STORE ARGS...}; stdout and stderr come out of one stream. */
  public static Process start(Path store, List<String> args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString(), "--store", store.toString()));
    argv.addAll(args);
    return new ProcessBuilder(argv).redirectErrorStream(true).start();
  }

  /**
   * SIGKILL for bootj's JVM, after a SIGSTOP so that it starts no program between the moment the
   * programs it runs are listed and its death. With {@code withChildren} those programs (mkfs,
   * mcopy, mount) are killed too, as systemd stopping a unit or a power cut stops them; else they
   * are left to finish, as after {@code kill -9 PID}. Returns once all of them are gone.
   */
  public static void kill(Process process, boolean withChildren) throws Exception {
    try {
      HostCommand.run(Duration.ofMinutes(1), List.of("kill", "-STOP", String.valueOf(process.pid())));
    } catch (IllegalStateException e) {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        return; // it ended by itself between the caller's look and the signal: nothing to kill
      }
      throw e;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    if (withChildren) {
      children.forEach(ProcessHandle::destroyForcibly);
    }
    for (ProcessHandle child : children) {
      child.onExit().get(2, TimeUnit.MINUTES);
    }
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      throw new IllegalStateException("bootj (pid " + process.pid() + ") outlived SIGKILL");
    }
  }

  /**
   * Starts bootj with {@code args} and kills it, with the programs it runs ({@link #kill}), as
   * soon as it prints a line that {@code when} accepts; fails if it ends before. Returns the lines
   * it printed.
   */
  public static List<String> killWhen(Path store, List<String> args, Predicate<String> when) throws Exception {
    Process process = start(store, args);
    List<String> seen = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        seen.add(line);
        if (when.test(line)) {
          kill(process, true);
          return seen;
        }
      }
    }
    process.waitFor(1, TimeUnit.MINUTES);
    throw new IllegalStateException("bootj " + String.join(" ", args) + " ended (exit " + process.exitValue()
        + ") before the line to kill it at:\n" + String.join("\n", seen));
  }
}
