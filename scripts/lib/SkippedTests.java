import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Says how many tests a run skipped and why, from the Surefire and Failsafe XML reports: tests
 * that need root, a tool or QEMU skip themselves through JUnit assumptions, and a green run that
 * quietly skipped half the suite must not look like a full one. Run by scripts/lib/skipped-tests
 * (java's single-file launcher, so it needs nothing but the JDK the build uses).
 *
 * <p>Usage: SkippedTests [--since FILE] PATH... where each PATH is a report directory or a
 * TEST-*.xml file; with --since, only reports written after FILE count (a run that did not
 * rebuild a module leaves that module's older reports behind). Prints the summary; the exit
 * status is 0 unless the arguments are wrong or a report cannot be read.
 */
public final class SkippedTests {

  /** What JUnit's assumptions put before the test's own reason. */
  private static final String ASSUMPTION_PREFIX = "Assumption failed: ";

  private SkippedTests() {}

  public static void main(String[] args) throws Exception {
    FileTime since = null;
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--since") && i + 1 < args.length) {
        since = Files.getLastModifiedTime(Path.of(args[++i]));
      } else if (args[i].startsWith("-")) {
        System.err.println("usage: skipped-tests [--since FILE] [REPORT_DIR_OR_FILE...]");
        System.exit(2);
      } else {
        paths.add(Path.of(args[i]));
      }
    }
    List<Path> reports = reports(paths, since);
    if (reports.isEmpty()) {
      System.out.println("no test reports" + (since == null ? "" : " written by this run") + " in " + paths);
      return;
    }
    int total = 0;
    int skipped = 0;
    // Reason -> the classes whose tests it skipped, with a count per reason; first seen first.
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, TreeSet<String>> classes = new LinkedHashMap<>();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    // Classes skipped as a whole (an assumption in @BeforeAll): Surefire 3.5 records them as a
    // suite of 0 tests, without the reason, so they can only be named.
    List<String> empty = new ArrayList<>();
    List<String> suites = new ArrayList<>();
    for (Path report : reports) {
      Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
      NodeList testcases = suite.getElementsByTagName("testcase");
      suites.add(suite.getAttribute("name"));
      if (testcases.getLength() == 0) {
        empty.add(suite.getAttribute("name"));
      }
      for (int i = 0; i < testcases.getLength(); i++) {
        Element testcase = (Element) testcases.item(i);
        total++;
        NodeList skips = testcase.getElementsByTagName("skipped");
        if (skips.getLength() == 0) {
          continue;
        }
        skipped++;
        String reason = reason((Element) skips.item(0));
        counts.merge(reason, 1, Integer::sum);
        classes.computeIfAbsent(reason, r -> new TreeSet<>()).add(simpleName(testcase.getAttribute("classname")));
      }
    }
    // A class whose tests all sit in @Nested classes reports 0 tests of its own: it ran them.
    empty.removeIf(name -> suites.stream().anyMatch(other -> other.startsWith(name + "$")));
    empty.replaceAll(SkippedTests::simpleName);
    System.out.printf("%d of %d tests skipped%s%n", skipped, total, skipped == 0 ? "" : ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> System.out.printf("%5d  %s (%s)%n", e.getValue(), e.getKey(), String.join(", ", classes.get(e.getKey()))));
    if (!empty.isEmpty()) {
      System.out.printf("%d test %s ran no test at all (skipped as a whole, e.g. by an assumption in @BeforeAll;"
          + " the reports do not say why; move the assumption to @BeforeEach to see it here): %s%n",
          empty.size(), empty.size() == 1 ? "class" : "classes", String.join(", ", empty));
    }
  }

  private static List<Path> reports(List<Path> paths, FileTime since) throws IOException {
    List<Path> reports = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          // TEST-*.xml are the per-class reports; failsafe-summary.xml only repeats the counts.
          files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).forEach(reports::add);
        }
      } else if (Files.isRegularFile(path)) {
        reports.add(path);
      }
    }
    if (since != null) {
      reports.removeIf(report -> modified(report).compareTo(since) <= 0);
    }
    reports.sort(Comparator.naturalOrder());
    return reports;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The reason as the test gave it. Surefire 3.5 writes an assumption's failure as the stack
   * trace in the element's text ("org.opentest4j.TestAbortedException: Assumption failed:
   * REASON" and "at ..." lines) with only a {@code type} attribute, and a disabled test's reason
   * in {@code message}; either way the reason is on the first line, after those prefixes.
   */
  private static String reason(Element skipped) {
    String message = skipped.getAttribute("message").strip();
    if (message.isEmpty()) {
      message = skipped.getTextContent().strip();
    }
    message = message.lines().findFirst().orElse("").strip();
    String type = skipped.getAttribute("type");
    if (!type.isEmpty() && message.startsWith(type + ":")) {
      message = message.substring(type.length() + 1).strip();
    }
    if (message.startsWith(ASSUMPTION_PREFIX)) {
      message = message.substring(ASSUMPTION_PREFIX.length());
    }
    return message.isEmpty() ? "no reason given" : message;
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
