package dev.bootj.it.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a host tool and returns its stdout; fails on a non-zero exit. */
final class Host {

  private Host() {}

  static String run(String... argv) throws IOException, InterruptedException {
    return runWith(Map.of(), argv);
  }

  static String runWith(Map<String, String> environment, String... argv) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(argv)).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }
}
