package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinterTest {

  @TempDir Path dir;

  @Test
  void anImageLikeTheExamplePassesEveryCheck() throws Exception {
    new ImageFixture(dir).debianLike();
    LintReport report = new Linter().lint(dir, Set.of());
    assertThat(report.findings()).isEmpty();
    assertThat(report.checked()).hasSize(Linter.allChecks().size());
    assertThat(report.passes(true)).isTrue();
  }

  @Test
  void anEmptyRootFailsWithOneErrorLinePerMissingPiece() throws Exception {
    LintReport report = new Linter().lint(dir, Set.of());
    assertThat(report.findings()).extracting(Finding::check)
        .containsExactly("kernel", "systemd-boot", "bless-boot", "bootj", "java");
    assertThat(report.findings()).allSatisfy(f -> assertThat(f.line()).startsWith("error: " + f.check() + ": "));
    assertThat(report.passes(false)).isFalse();
  }

  @Test
  void warningsFailOnlyWhenFatal() throws Exception {
    new ImageFixture(dir).debianLike().file("/tmp/left-over", "x");
    LintReport report = new Linter().lint(dir, Set.of());
    assertThat(report.errors()).isZero();
    assertThat(report.warnings()).isEqualTo(1);
    assertThat(report.findings().get(0).line()).startsWith("warning: run-tmp: /tmp holds 1 files (/tmp/left-over)");
    assertThat(report.passes(false)).isTrue();
    assertThat(report.passes(true)).isFalse();
  }

  @Test
  void aSkippedCheckDoesNotRunAndIsReported() throws Exception {
    new ImageFixture(dir).debianLike().file("/tmp/left-over", "x");
    LintReport report = new Linter().lint(dir, Set.of("run-tmp"));
    assertThat(report.findings()).isEmpty();
    assertThat(report.skipped()).containsExactly("run-tmp");
    assertThat(report.checked()).doesNotContain("run-tmp");
  }

  @Test
  void anUnknownSkipNameIsRefusedBeforeAnythingRuns() {
    assertThatThrownBy(() -> new Linter().lint(dir, Set.of("kernal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no lint check is named 'kernal'; 'bootj container lint --list' shows them");
  }

  @Test
  void aMissingRootIsOneLine() {
    assertThatThrownBy(() -> new Linter().lint(dir.resolve("nothing"), Set.of()))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("is not a directory; give the image's root filesystem with --rootfs DIR");
  }

  @Test
  void everyCheckHasAUniqueNameAndOneLine() {
    List<Linter.CheckDescription> checks = new Linter().checks();
    Set<String> names = new HashSet<>();
    for (Linter.CheckDescription check : checks) {
      assertThat(check.name()).matches("[a-z][a-z-]*");
      assertThat(names.add(check.name())).as(check.name()).isTrue();
      assertThat(check.description()).isNotBlank().doesNotContain("\n");
    }
  }

  @Test
  void checksNeverLeaveTheRootThroughAbsoluteLinks() throws Exception {
    // /etc/machine-id -> /etc/hostname: read inside the root, not the host's file.
    new ImageFixture(dir).debianLike();
    Files.delete(dir.resolve("etc/machine-id"));
    new ImageFixture(dir).file("/etc/hostname", "").link("/etc/machine-id", "/etc/hostname");
    assertThat(new Linter().lint(dir, Set.of()).findings()).isEmpty();
  }
}
