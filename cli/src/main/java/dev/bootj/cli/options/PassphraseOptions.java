package dev.bootj.cli.options;

import dev.bootj.common.BootjException;
import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The passphrase of a cosign private key, found as cosign finds it: {@code --passphrase-file},
 * else {@code COSIGN_PASSWORD}, else asked on the terminal. Shared by {@code image generate-key}
 * and {@code image sign}.
 */
public final class PassphraseOptions {

  public static final String ENVIRONMENT_VARIABLE = "COSIGN_PASSWORD";

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the key's passphrase from FILE: its whole content, less one final line break"
          + " (default: $COSIGN_PASSWORD, else asked on the terminal).")
  Path passphraseFile;

  /** The environment; tests replace it. */
  public Function<String, String> environment = System::getenv;
  /** The terminal to ask on, or null; tests replace it. */
  public Supplier<Console> console = System::console;

  /**
   * The passphrase as UTF-8 bytes; the caller clears them after use.
   *
   * @param confirm ask twice on a terminal (a new key), else once
   * @param command for the usage error when there is no way to get one
   */
  public byte[] read(boolean confirm, CommandSpec command) throws BootjException {
    if (passphraseFile != null) {
      return fromFile(passphraseFile);
    }
    String fromEnvironment = environment.apply(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null) {
      return fromEnvironment.getBytes(StandardCharsets.UTF_8);
    }
    Console terminal = console.get();
    if (terminal == null) {
      throw new ParameterException(command.commandLine(),
          "no passphrase: give --passphrase-file FILE or set " + ENVIRONMENT_VARIABLE + " (there is no terminal to ask on)");
    }
    char[] first = terminal.readPassword(confirm ? "Enter passphrase for the private key: " : "Enter the key's passphrase: ");
    char[] second = confirm ? terminal.readPassword("Enter the passphrase again: ") : first;
    try {
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new BootjException(BootjException.Kind.SYSTEM, "the passphrases differ; nothing was written");
      }
      ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(first));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } finally {
      if (first != null) {
        Arrays.fill(first, '\0');
      }
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  /** The file's bytes less one final "\n" or "\r\n", which editors and {@code echo} add. */
  private static byte[] fromFile(Path file) throws BootjException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "passphrase file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read passphrase file " + file + ": "
          + e.getMessage(), e);
    }
    int length = content.length;
    if (length > 0 && content[length - 1] == '\n') {
      length--;
      if (length > 0 && content[length - 1] == '\r') {
        length--;
      }
    }
    byte[] passphrase = Arrays.copyOf(content, length);
    Arrays.fill(content, (byte) 0);
    return passphrase;
  }
}
