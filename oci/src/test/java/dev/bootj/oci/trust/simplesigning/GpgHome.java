package dev.bootj.oci.trust.simplesigning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away GNUPGHOME for tests that drive the real gpg (and skopeo, which signs through it).
 * Its path is short on purpose: gpg-agent's socket must fit a Unix socket path.
 */
final class GpgHome implements AutoCloseable {

  static final Path GPG = Path.of("/usr/bin/gpg");

  private final Path home;

  GpgHome() throws IOException {
    home = Files.createTempDirectory(Path.of("/tmp"), "bjg");
  }

  Path path() {
    return home;
  }

  /** Generates a passphrase-less signing key and returns its fingerprint (uppercase, as gpg prints it). */
  String generateKey(String email, String algorithm) throws IOException {
    gpg("--quick-gen-key", "test <" + email + ">", algorithm, "sign", "never");
    String colons = gpg("--with-colons", "--list-keys", email);
    return colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
  }

  /** Runs gpg in this home, batch mode, and returns its standard output; fails on a non-zero exit. */
  String gpg(String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(GPG.toString(), "--batch", "--no-tty", "--quiet",
        "--pinentry-mode", "loopback", "--passphrase", ""));
    command.addAll(List.of(arguments));
    return run(command).output();
  }

  /** Runs any command with GNUPGHOME set to this home. */
  Result run(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("GNUPGHOME", home.toString());
    Path stderr = home.resolve("stderr.txt");
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(command + " did not finish");
      }
      Result result = new Result(process.exitValue(), out, Files.readString(stderr));
      if (result.exit() != 0 && command.get(0).equals(GPG.toString())) {
        throw new IOException(command + " failed with " + result.exit() + ": " + result.error());
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  record Result(int exit, String output, String error) {}

  @Override
  public void close() throws IOException {
    try {
      ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "all").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      kill.environment().put("GNUPGHOME", home.toString());
      kill.start().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // gpgconf missing: no agent to stop
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
