package dev.bootj.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI, for building and pushing OS images the way a user of bootj does. */
public final class Docker {

  private Docker() {}

  public static boolean hasImage(String name) {
    try {
      run(List.of("docker", "image", "inspect", name), 60);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** {@code docker build -f FILE -t TAG [--build-arg K=V]... CONTEXT}. */
  public static void build(Path context, Path containerfile, String tag, List<String> buildArgs) {
    List<String> command = new ArrayList<>(List.of("docker", "build", "-q", "-f", containerfile.toString(), "-t", tag));
    for (String arg : buildArgs) {
      command.add("--build-arg");
      command.add(arg);
    }
    command.add(context.toString());
    run(command, 900);
  }

  public static void push(String tag) {
    run(List.of("docker", "push", "-q", tag), 600);
  }

  /** {@code docker image rm TAG}, so that test images do not pile up in the engine. */
  public static void removeImage(String tag) {
    run(List.of("docker", "image", "rm", tag), 120);
  }

  /** Runs a docker command; fails with everything it printed. */
  static String run(List<String> command, long timeoutSeconds) {
    try {
      Path log = Files.createTempFile("docker", ".log");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out: " + String.join(" ", command) + "\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        if (process.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        return output;
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
