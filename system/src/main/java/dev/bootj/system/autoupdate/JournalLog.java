package dev.bootj.system.autoupdate;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes one structured journal entry per update cycle ({@code MESSAGE_ID}, {@code
 * BOOTJ_OUTCOME}, {@code BOOTJ_IMAGE}, {@code BOOTJ_DIGEST}) through {@code logger --journald},
 * which speaks journald's native protocol. Where there is no journal (no systemd, a container),
 * nothing is written: the cycle's record and its output still say what happened.
 */
public final class JournalLog {

  /** journald's native socket: present exactly when journald is running. */
  static final Path SOCKET = Path.of("/run/systemd/journal/socket");
  /** The syslog identifier the entries carry ({@code journalctl -t bootj}). */
  static final String IDENTIFIER = "bootj";

  private final CommandRunner commands;
  private final Consumer<String> warnings;

  public JournalLog(CommandRunner commands, Consumer<String> warnings) {
    this.commands = commands;
    this.warnings = warnings;
  }

  public void record(CycleOutcome outcome, String message, String image, String digest) {
    if (!Files.exists(SOCKET) || Tool.LOGGER.locate().isEmpty()) {
      return;
    }
    try {
      Path entry = Files.createTempFile("bootj-journal-", ".txt");
      try {
        Files.writeString(entry, entry(outcome, message, image, digest));
        commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), Tool.LOGGER.program(), "--journald=" + entry));
      } finally {
        Files.deleteIfExists(entry);
      }
    } catch (IOException e) {
      warnings.accept("warning: the update cycle was not written to the journal: " + e.getMessage());
    }
  }

  /** The entry in journald's export form: one FIELD=value per line (values are made one line). */
  static String entry(CycleOutcome outcome, String message, String image, String digest) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("MESSAGE_ID", outcome.messageId());
    fields.put("MESSAGE", message);
    // Errors at "err", everything else at "notice": a fleet alerts on the first, counts the second.
    fields.put("PRIORITY", outcome == CycleOutcome.ERROR ? "3" : "5");
    fields.put("SYSLOG_IDENTIFIER", IDENTIFIER);
    fields.put("BOOTJ_OUTCOME", outcome.id());
    if (image != null) {
      fields.put("BOOTJ_IMAGE", image);
    }
    if (digest != null) {
      fields.put("BOOTJ_DIGEST", digest);
    }
    StringBuilder text = new StringBuilder();
    fields.forEach((name, value) -> text.append(name).append('=').append(value.replace('\n', ' ')).append('\n'));
    return text.toString();
  }
}
