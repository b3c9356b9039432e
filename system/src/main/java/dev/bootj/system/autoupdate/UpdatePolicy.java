package dev.bootj.system.autoupdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.bootj.common.BootjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the update timer may do on this machine, from {@code /usr/lib/bootj/update.toml} (the
 * image's defaults) overridden key by key by {@code /etc/bootj/update.toml} (the machine's own):
 *
 * <pre>
 * mode = "stage"                    # off | check | download | stage | apply
 * window = "Sat,Sun 02:00-05:00"    # when "apply" may reboot; a list of spans too; absent: any time
 * </pre>
 *
 * @param mode how far one cycle goes
 * @param window when a reboot into a staged update may happen; null for any time
 * @param sources the files read, in order, for messages
 */
public record UpdatePolicy(Mode mode, MaintenanceWindow window, List<Path> sources) {

  /** The image's defaults. */
  public static final Path IMAGE_DEFAULTS = Path.of("/usr/lib/bootj/update.toml");
  /** The machine's own settings, which win. */
  public static final Path MACHINE_SETTINGS = Path.of("/etc/bootj/update.toml");

  /** How far one update cycle goes; each mode does what the one before it does, and more. */
  public enum Mode {
    /** Nothing at all. */
    OFF,
    /** Resolve the followed tag and record whether there is an update. */
    CHECK,
    /** Also fetch the missing layers into the store. */
    DOWNLOAD,
    /** Also write the other slot, so that the next reboot boots the update. */
    STAGE,
    /** Also reboot into it, inside the window. */
    APPLY;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Mode other) {
      return compareTo(other) >= 0;
    }
  }

  /** With no file at all: check only, so that nothing changes on a machine nobody configured. */
  public static final Mode DEFAULT_MODE = Mode.CHECK;

  /** Reads both files under {@code root} ("/" on the running machine); a missing file is skipped. */
  public static UpdatePolicy load(Path root) throws BootjException {
    Mode mode = DEFAULT_MODE;
    MaintenanceWindow window = null;
    List<Path> sources = new ArrayList<>();
    for (Path file : List.of(IMAGE_DEFAULTS, MACHINE_SETTINGS)) {
      Path path = root.resolve(file.toString().substring(1));
      String text;
      try {
        text = Files.readString(path);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, "cannot read " + file + ": " + e.getMessage(), e);
      }
      sources.add(file);
      JsonNode table = parse(text, file);
      if (table.has("mode")) {
        mode = mode(table.get("mode"), file);
      }
      if (table.has("window")) {
        window = window(table.get("window"), file);
      }
    }
    return new UpdatePolicy(mode, window, List.copyOf(sources));
  }

  private static JsonNode parse(String text, Path file) throws BootjException {
    JsonNode table;
    try {
      table = new TomlMapper().readTree(text);
    } catch (IOException e) {
      throw invalid(file, null, "is not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!key.equals("mode") && !key.equals("window")) {
        throw invalid(file, key, "is not a key bootj knows (known: mode, window)");
      }
    }
    return table;
  }

  private static Mode mode(JsonNode value, Path file) throws BootjException {
    if (value.isTextual()) {
      for (Mode m : Mode.values()) {
        if (m.id().equals(value.asText())) {
          return m;
        }
      }
    }
    throw invalid(file, "mode", "must be \"off\", \"check\", \"download\", \"stage\" or \"apply\", not " + value);
  }

  private static MaintenanceWindow window(JsonNode value, Path file) throws BootjException {
    List<String> spans = new ArrayList<>();
    if (value.isTextual()) {
      spans.add(value.asText());
    } else if (value.isArray()) {
      for (JsonNode span : value) {
        if (!span.isTextual()) {
          throw invalid(file, "window", "must be a string or a list of strings");
        }
        spans.add(span.asText());
      }
    } else {
      throw invalid(file, "window", "must be a string or a list of strings");
    }
    try {
      return MaintenanceWindow.parse(spans);
    } catch (IllegalArgumentException e) {
      throw invalid(file, "window", e.getMessage());
    }
  }

  private static BootjException invalid(Path file, String key, String why) {
    return new BootjException(BootjException.Kind.SYSTEM,
        file + (key == null ? " " : ": '" + key + "' ") + why + "; fix the file, or remove it to use the defaults");
  }
}
