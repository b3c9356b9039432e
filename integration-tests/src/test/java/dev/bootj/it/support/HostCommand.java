package dev.bootj.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of a tool installed on the host, such as umoci, buildah or GNU tar, for the tests that compare against them. */
public final class HostCommand {

  private HostCommand() {}

  /** Whether {@code tool} is an executable on {@code PATH}. */
  public static boolean isInstalled(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code command} and returns what it printed; fails with that output on a non-zero exit or a timeout. */
  public static String run(Duration timeout, List<String> command) {
    Path log;
    try {
      log = Files.createTempFile("host-command", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary file for the output of " + command.get(0), e);
    }
    try {
      Process process;
      try {
        // A file, not a pipe: a chatty tool can then never block on a full pipe.
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
      }
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
            + "\n" + read(log));
      }
      String output = read(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
            + output.strip());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // A leftover temporary file is harmless.
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }
}
