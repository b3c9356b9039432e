package dev.bootj.it.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The serial console file QEMU writes (ttyS0), over all boots of one machine. Besides reading
 * it for tests and failure messages, it spots a kernel panic, so that a test waiting for the
 * machine fails at once instead of at its timeout: without {@code panic=N} on the kernel
 * command line a panicked guest just stops, and no test here expects a panic.
 */
final class ConsoleLog {

  private static final String PANIC = "Kernel panic - not syncing";

  private final Path file;
  /** Where the search for a panic continues. */
  private long scanned;

  ConsoleLog(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  String text() throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
  }

  /** How many bytes the console holds so far. */
  long size() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** What the console printed from byte {@code offset} on. */
  String textFrom(long offset) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.min(offset, in.length());
      byte[] bytes = new byte[(int) (in.length() - from)];
      in.seek(from);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** The last {@code count} lines, for failure messages. */
  String tail(int count) {
    try {
      List<String> lines = text().lines().toList();
      return "--- last lines of the serial console (" + file + ")\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(console unreadable: " + e.getMessage() + ")";
    }
  }

  /** The panic line, if the kernel panicked in any boot so far. */
  Optional<String> panic() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, scanned - PANIC.length());
      byte[] bytes = new byte[(int) Math.max(0, in.length() - from)];
      in.seek(from);
      in.readFully(bytes);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int at = text.indexOf(PANIC);
      if (at < 0) {
        scanned = from + bytes.length;
        return Optional.empty();
      }
      int end = text.indexOf('\n', at);
      return Optional.of(text.substring(at, end < 0 ? text.length() : end).strip());
    }
  }
}
