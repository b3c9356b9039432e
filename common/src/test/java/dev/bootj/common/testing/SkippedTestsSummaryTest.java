package dev.bootj.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkippedTestsSummaryTest {

  @Test
  void countsSkippedAndAbortedTestsByReason() {
    String printed = run(SomeSkip.class);

    // 2 plain tests + 3 aborted + 1 disabled + 2 in the class whose @BeforeAll aborts = 8 tests.
    assertThat(printed).isEqualTo(String.join(System.lineSeparator(),
        "demo: 6 of 8 tests skipped:",
        "    3  needs root",
        "    2  needs e2fsprogs",
        "    1  not on this machine",
        ""));
  }

  @Test
  void printsNothingWhenNoTestWasSkipped() {
    assertThat(run(NoSkip.class)).isEmpty();
  }

  @Test
  void aReasonIsWrittenWithoutJUnitsPrefixOnOneLine() {
    assertThat(SkippedTestsSummary.normalised("Assumption failed: needs  root.\n\tat x")).isEqualTo("needs root");
    assertThat(SkippedTestsSummary.normalised("Assumption failed: assumption is not true")).isEqualTo("assumption is not true");
    assertThat(SkippedTestsSummary.normalised(null)).isEqualTo("no reason given");
  }

  /** Runs {@code fixture} through a launcher of its own, with only the listener under test. */
  private static String run(Class<?> fixture) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    // Without auto-registration: the copy loaded from META-INF/services would print to the console.
    Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
        .enableTestExecutionListenerAutoRegistration(false)
        .build());
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(fixture))
        .build();
    launcher.execute(request, new SkippedTestsSummary(out, "demo"));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  // The fixtures below are static nested classes: Surefire leaves classes with '$' in their name
  // out (unless a -Dtest pattern such as 'Skipped*' matches them), and Jupiter runs the nested
  // classes of a selected class only when they are @Nested, so they run only through run() above.

  /** Every way a test can be skipped, with reasons written differently that are the same reason. */
  static class SomeSkip {

    @Test
    void runs() {}

    @Test
    void runsToo() {}

    @Test
    void needsRoot() {
      assumeTrue(false, "needs root");
    }

    @Test
    void needsRootWrittenOtherwise() {
      assumeTrue(false, "needs  root.");
    }

    @Test
    void needsRootAgain() {
      assumeTrue(false, "needs root");
    }

    @Test
    @Disabled("not on this machine")
    void disabled() {}

    @Nested
    class WithoutTool {

      @BeforeAll
      static void tool() {
        assumeTrue(false, "needs e2fsprogs");
      }

      @Test
      void one() {}

      @Test
      void two() {}
    }
  }

  static class NoSkip {

    @Test
    void runs() {}
  }
}
