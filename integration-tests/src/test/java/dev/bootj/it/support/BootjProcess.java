package dev.bootj.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
