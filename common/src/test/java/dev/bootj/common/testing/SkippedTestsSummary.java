package dev.bootj.common.testing;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says at the end of a module's test run how many tests were skipped and why, in the Maven
 * console: tests that need root, a tool or QEMU skip themselves, and a green run as a normal user
 * that quietly skipped half the suite must not look like a full one. Nothing is printed when no
 * test was skipped.
 *
 * <p>A skipped test is one the engine skipped (a disabled test or class) or aborted (a failed JUnit
 * assumption). When a whole class is skipped or aborted (an assumption in {@code @BeforeAll}), each
 * of its tests that never started counts, under the class's reason. Reasons are grouped after
 * normalisation (JUnit's "Assumption failed: " prefix dropped, first line only, blanks collapsed,
 * case ignored), so the same reason written in several tests counts once.
 *
 * <p>Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}
 * in each module's test resources; Surefire and Failsafe load it in their forked JVM and pass its
 * standard output on to the console.
 */
public final class SkippedTestsSummary implements TestExecutionListener {

  /** What JUnit puts before an assumption's own message. */
  private static final String ASSUMPTION_PREFIX = "Assumption failed: ";

  private final PrintStream out;
  private final String module;
  private TestPlan plan;
  private int tests;
  private final Set<String> reported = new HashSet<>();
  /** Normalised reason (lower case) -> the reason as first written and how many tests it skipped. */
  private final Map<String, Reason> reasons = new LinkedHashMap<>();

  /**
   * The listener the launcher loads: prints to standard output, naming the module by the
   * directory the tests run in (Surefire and Failsafe run them in the module's base directory).
   */
  public SkippedTestsSummary() {
    this(System.out, moduleOf(Path.of(System.getProperty("user.dir"))));
  }

  /** A listener that prints to {@code out}, naming the run {@code module}. */
  public SkippedTestsSummary(PrintStream out, String module) {
    this.out = out;
    this.module = module;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    tests = 0;
    reported.clear();
    reasons.clear();
  }

  @Override
  public void executionStarted(TestIdentifier identifier) {
    reported.add(identifier.getUniqueId());
    if (identifier.isTest()) {
      tests++;
    }
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    skipped(identifier, reason);
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skipped(identifier, result.getThrowable().map(Throwable::getMessage).orElse(null));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    int skipped = reasons.values().stream().mapToInt(Reason::count).sum();
    if (skipped == 0) {
      return;
    }
    // One line per reason, most frequent first: the same shape as scripts/lib/skipped-tests.
    StringBuilder block = new StringBuilder()
        .append(String.format("%s: %d of %d %s skipped:%n", module, skipped, tests, tests == 1 ? "test" : "tests"));
    reasons.values().stream()
        .sorted(Comparator.comparingInt(Reason::count).reversed())
        .forEach(r -> block.append(String.format("%5d  %s%n", r.count(), r.text())));
    // One write, so that the forked JVM hands the block to Maven's console in one piece.
    out.print(block);
    out.flush();
  }

  /**
   * Counts a skipped or aborted test, or for a container the tests under it that never started: an
   * assumption in {@code @AfterAll} aborts a class whose tests all ran, and skips none of them.
   */
  private void skipped(TestIdentifier identifier, String reason) {
    int count;
    if (identifier.isTest()) {
      // Aborted tests started (and were counted); skipped ones did not.
      if (!reported.contains(identifier.getUniqueId())) {
        tests++;
      }
      count = 1;
    } else {
      Set<TestIdentifier> descendants = plan == null ? Set.of() : plan.getDescendants(identifier);
      // A parameterized or factory method skipped before it made its tests: one test that did not run.
      count = descendants.isEmpty()
          ? 1
          : (int) descendants.stream().filter(TestIdentifier::isTest).filter(t -> !reported.contains(t.getUniqueId())).count();
      tests += count;
    }
    reported.add(identifier.getUniqueId());
    if (count == 0) {
      return;
    }
    String text = normalised(reason);
    reasons.merge(text.toLowerCase(Locale.ROOT), new Reason(text, count), (a, b) -> new Reason(a.text(), a.count() + b.count()));
  }

  /** The reason as a test wrote it: without JUnit's prefix, on one line, blanks collapsed. */
  static String normalised(String reason) {
    String text = reason == null ? "" : reason.strip();
    if (text.startsWith(ASSUMPTION_PREFIX)) {
      text = text.substring(ASSUMPTION_PREFIX.length());
    }
    text = text.lines().findFirst().orElse("").replaceAll("\\s+", " ").strip();
    if (text.endsWith(".")) {
      text = text.substring(0, text.length() - 1);
    }
    return text.isEmpty() ? "no reason given" : text;
  }

  private static String moduleOf(Path workingDirectory) {
    Path name = workingDirectory.getFileName();
    return name == null ? "tests" : name.toString();
  }

  private record Reason(String text, int count) {}
}
