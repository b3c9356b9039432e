package dev.bootj.system.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

  private final CommandRunner runner = new CommandRunner();

  @Test
  void returnsStdout() throws Exception {
    assertThat(runner.run(CommandRunner.Command.of(Duration.ofSeconds(10), "echo", "hello"))).isEqualTo("hello\n");
  }

  @Test
  void failureNamesCommandExitAndLastStderrLine() {
    assertThatThrownBy(() -> runner.run(CommandRunner.Command.of(Duration.ofSeconds(10),
        "sh", "-c", "echo first >&2; echo 'the real reason' >&2; exit 3")))
        .hasMessage("sh -c echo first >&2; echo 'the real reason' >&2; exit 3 failed (exit 3): the real reason");
  }

  @Test
  void usageDumpedAfterTheMessageIsNotQuoted() {
    assertThatThrownBy(() -> runner.run(CommandRunner.Command.of(Duration.ofSeconds(10),
        "sh", "-c", "echo 'Filesystem must be larger than 300MB.' >&2; echo 'Usage: mkfs' >&2; echo ' -b x' >&2; exit 1")))
        .hasMessageEndingWith("failed (exit 1): Filesystem must be larger than 300MB.");
  }

  @Test
  void allOutputIsStdoutThenStderr() throws Exception {
    assertThat(runner.runForAllOutput(CommandRunner.Command.of(Duration.ofSeconds(10),
        "sh", "-c", "echo version >&2; echo out"))).isEqualTo("out\nversion\n");
  }

  @Test
  void environmentIsPassed() throws Exception {
    assertThat(runner.run(CommandRunner.Command.of(Duration.ofSeconds(10), "sh", "-c", "echo $X")
        .withEnvironment("X", "set"))).isEqualTo("set\n");
  }

  @Test
  void overrunningCommandIsStopped() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(CommandRunner.Command.of(Duration.ofMillis(300), "sleep", "30")))
        .hasMessage("sleep 30 did not finish within 0 s; stopped it");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void missingProgramIsNamed() {
    assertThatThrownBy(() -> runner.run(CommandRunner.Command.of(Duration.ofSeconds(5), "no-such-tool-bootj")))
        .hasMessageStartingWith("no-such-tool-bootj could not be started");
  }
}
