package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Content in {@code /var}: install copies it to the machine's state partition once, and no update
 * ever changes it there, so whatever a later image puts in /var never reaches a machine. The
 * finding names where the content is, grouped by directory and bounded, so a large /var stays one line.
 */
final class VarContentCheck implements LintCheck {

  /** How many directories a finding names before it says "and N more". */
  static final int SHOWN_DIRECTORIES = 8;

  @Override
  public String name() {
    return "var-content";
  }

  @Override
  public Severity severity() {
    return Severity.WARNING;
  }

  @Override
  public String description() {
    return "nothing in /var: it is copied to a machine at install only, never by an update";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    Map<String, Long> byDirectory = new TreeMap<>();
    new ImageTreeWalker(root).nonDirectoriesBelow("/var", path -> byDirectory.merge(directoryOf(path), 1L, Long::sum));
    if (byDirectory.isEmpty()) {
      return List.of();
    }
    long total = byDirectory.values().stream().mapToLong(Long::longValue).sum();
    String shown = byDirectory.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(SHOWN_DIRECTORIES)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining(", "));
    int more = byDirectory.size() - Math.min(byDirectory.size(), SHOWN_DIRECTORIES);
    return List.of("/var holds " + total + " files, which install copies to a machine once and no update"
        + " changes: " + shown + (more > 0 ? " and " + more + " more" : "")
        + "; ship what updates must change under /usr (create /var entries at boot with tmpfiles.d)");
  }

  /** The first two levels below /var ("/var/lib/dpkg"), or the file itself when it sits higher. */
  private static String directoryOf(String path) {
    String[] parts = path.substring(1).split("/");
    return parts.length <= 3 ? path : "/" + String.join("/", parts[0], parts[1], parts[2]);
  }
}
