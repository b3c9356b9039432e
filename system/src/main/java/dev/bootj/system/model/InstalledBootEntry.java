package dev.bootj.system.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One of bootj's entries as found in loader/entries on an ESP: its file name (which carries the
 * boot counter) and its text.
 *
 * @param counter null once the entry was blessed (or never counted)
 * @param generation the number before the first '-' of the version line; 0 when absent (an entry
 *     written before generations existed sorts below any bootj writes now)
 */
public record InstalledBootEntry(String fileName, Slot slot, BootCounter counter, long generation, String text) {

  private static final String CONF = ".conf";

  /** The entry if {@code fileName} is one of bootj's ({@code bootj-a.conf}, {@code bootj-b+2-1.conf}). */
  public static Optional<InstalledBootEntry> parse(String fileName, String text) {
    String name = fileName.substring(fileName.lastIndexOf('/') + 1).strip();
    if (!name.endsWith(CONF)) {
      return Optional.empty();
    }
    String stem = name.substring(0, name.length() - CONF.length());
    String id = BootCounter.stripFrom(stem);
    for (Slot slot : Slot.values()) {
      if (id.equals("bootj-" + slot.id())) {
        BootCounter counter = BootCounter.parse(stem).orElse(null);
        return Optional.of(new InstalledBootEntry(name, slot, counter, generationOf(text), text));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code fileName} names one of bootj's entries, whatever its counter. */
  public static boolean isBootjEntry(String fileName) {
    return parse(fileName, "").isPresent();
  }

  /** The boot counter ran out: systemd-boot no longer picks this entry by itself. */
  public boolean failed() {
    return counter != null && counter.exhausted();
  }

  /** Still being assessed: tries left, not yet marked good. */
  public boolean counting() {
    return counter != null && !counter.exhausted();
  }

  public Optional<String> field(String key) {
    for (String line : text.split("\n")) {
      String[] words = line.strip().split("\\s+", 2);
      if (words.length == 2 && words[0].equals(key)) {
        return Optional.of(words[1].strip());
      }
    }
    return Optional.empty();
  }

  public List<String> options() {
    return field("options").map(o -> Arrays.asList(o.split("\\s+"))).orElse(List.of());
  }

  /** The kernel version, the part of the version line after the generation. */
  public Optional<String> kernelVersion() {
    return field("version").map(v -> v.contains("-") && generationOf(text) > 0 ? v.substring(v.indexOf('-') + 1) : v);
  }

  /** The same entry with {@code generation} and {@code counter}, its other lines unchanged. */
  public String textWithGeneration(long newGeneration) {
    StringBuilder out = new StringBuilder();
    boolean replaced = false;
    for (String line : text.split("\n", -1)) {
      String[] words = line.strip().split("\\s+", 2);
      if (!replaced && words.length == 2 && words[0].equals("version")) {
        out.append("version ").append(newGeneration).append('-').append(kernelVersion().orElse("")).append('\n');
        replaced = true;
      } else if (!line.isEmpty()) {
        out.append(line).append('\n');
      }
    }
    if (!replaced) {
      out.append("version ").append(newGeneration).append('\n');
    }
    return out.toString();
  }

  private static long generationOf(String text) {
    for (String line : text.split("\n")) {
      String[] words = line.strip().split("\\s+", 2);
      if (words.length == 2 && words[0].equals("version")) {
        String v = words[1].strip();
        int dash = v.indexOf('-');
        try {
          return dash > 0 ? Long.parseLong(v.substring(0, dash)) : 0;
        } catch (NumberFormatException kernelVersionOnly) {
          return 0;
        }
      }
    }
    return 0;
  }
}
