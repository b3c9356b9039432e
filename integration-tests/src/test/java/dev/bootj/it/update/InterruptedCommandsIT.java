package dev.bootj.it.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.files.StagingArea;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.BootjProcess;
import dev.bootj.it.support.HostCommand;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT, SIGTERM and SIGHUP stop a command and leave nothing behind: no staging tree, no disk
 * image file it created, no loop device, no mount; the exit status is 128 + the signal's number.
 * A tree left by SIGKILL is removed by the next run. bootj runs as its own JVM (java -jar), as a
 * user or systemd runs it, and gets the signal at several points of its work.
 */
class InterruptedCommandsIT {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir static Path shared;
  private static Path layout;

  @TempDir Path work;

  /** TinyOs plus 160 MiB of incompressible files: long enough to be caught unpacking and writing. */
  @BeforeAll
  static void image() throws Exception {
    TarBuilder bulk = new TarBuilder();
    bulk.dir("usr/share/bulk");
    Random random = new Random(42);
    byte[] chunk = new byte[160 * 1024];
    for (int i = 0; i < 1024; i++) {
      random.nextBytes(chunk);
      bulk.file("usr/share/bulk/" + i, chunk.clone());
    }
    layout = shared.resolve("layout");
    OciLayoutWriter.write(layout, "1", List.of(OciLayoutWriter.Layer.gzip(TinyOs.baseLayer()),
        new OciLayoutWriter.Layer(bulk.build(), OciLayoutWriter.TAR)), Map.of("org.opencontainers.image.version", "1"));
  }

  @Test
  void sigtermWhileUnpackingRemovesTheStagingTree() throws Exception {
    assumeRoot();
    Path disk = work.resolve("disk.img");
    Result result = interrupt(install(disk), line -> line.startsWith("layer 2/2"), "TERM");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(143);
    assertThat(result.lastLine()).isEqualTo("bootj: stopped by SIGTERM; what this command had made was removed");
    assertNothingLeft(disk);
  }

  @Test
  void sigintWhileWritingTheSlotRemovesTheDiskFileItCreated() throws Exception {
    assumeRoot();
    Path disk = work.resolve("disk.img");
    Result result = interrupt(install(disk), line -> line.startsWith("Writing slot A"), "INT");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(130);
    assertNothingLeft(disk);
  }

  @Test
  void sighupWhileCopyingLayersIntoTheMachineStoreCleansUpToo() throws Exception {
    assumeRoot();
    Path disk = work.resolve("disk.img");
    Result result = interrupt(install(disk), line -> line.startsWith("Copying the image's layers"), "HUP");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(129);
    assertNothingLeft(disk);
  }

  @Test
  void aTreeLeftBySigkillIsRemovedByTheNextRun() throws Exception {
    assumeRoot();
    Path disk = work.resolve("disk.img");
    Result killed = interrupt(install(disk), line -> line.startsWith("layer 2/2"), "KILL");
    assertThat(killed.exitCode()).isEqualTo(137);
    assertThat(stagingOf(disk)).as("SIGKILL leaves the tree").exists();

    Process again = start(install(disk));
    String output = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(again.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(again.exitValue()).as(output).isZero();
    assertThat(stagingOf(disk)).as("the next run removed it, and its own").doesNotExist();
    assertThat(loopDevicesOf(disk)).isEmpty();
  }

  @Test
  void sigtermWhileASwitchWritesTheOtherSlotLeavesTheDiskAsItWas() throws Exception {
    assumeRoot();
    Path disk = work.resolve("disk.img");
    Process installing = start(install(disk));
    String installed = new String(installing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(installing.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(installing.exitValue()).as(installed).isZero();
    Path two = shared.resolve("v2");
    TinyOs.write(two, "2", Map.of("keep.conf", "two\n"));

    Result result = interrupt(List.of("switch", "--disk", disk.toString(), "--progress", "oci:" + two + ":2"),
        line -> line.startsWith("Writing slot B"), "TERM");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(143);
    assertThat(loopDevicesOf(disk)).as("loop devices over the disk").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mounts"))).as("mounts").doesNotContain("bootj-mount-");
    assertThat(StagingArea.pathFor(StagingArea.defaultParent(), "update", disk.toRealPath().toString()))
        .as("the update's staging tree").doesNotExist();
    Process status = start(List.of("status", "--disk", disk.toString()));
    String text = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(status.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(status.exitValue()).as(text).isZero();
    assertThat(text).contains("slot A: oci:").contains("(default)");
  }

  private void assertNothingLeft(Path disk) throws Exception {
    assertThat(disk).as("the disk image file the install created").doesNotExist();
    assertThat(stagingOf(disk)).as("the staging tree").doesNotExist();
    assertThat(loopDevicesOf(disk)).as("loop devices over the disk").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mounts"))).as("mounts").doesNotContain(disk.toString());
  }

  private List<String> install(Path disk) {
    return List.of("install", "to-disk", "--progress", "--image", "oci:" + layout + ":1", "--size", "3G",
        disk.toString());
  }

  private static Path stagingOf(Path disk) {
    return StagingArea.pathFor(StagingArea.defaultParent(), "install", disk.toAbsolutePath().normalize().toString());
  }

  private static String loopDevicesOf(Path disk) {
    return HostCommand.run(MINUTE, List.of("losetup", "-j", disk.toString())).strip();
  }

  private record Result(int exitCode, String output) {
    String lastLine() {
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
  }

  private Process start(List<String> args) throws IOException {
    return BootjProcess.start(work.resolve("store"), args);
  }

  /** Starts bootj, sends SIG{@code signal} when a line of its output matches {@code when}, and waits for it to end. */
  private Result interrupt(List<String> args, Predicate<String> when, String signal) throws Exception {
    Process process = start(args);
    StringBuilder output = new StringBuilder();
    boolean sent = false;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.append(line).append('\n');
        if (!sent && when.test(line)) {
          HostCommand.run(MINUTE, List.of("kill", "-s", signal, String.valueOf(process.pid())));
          sent = true;
        }
      }
    }
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("bootj ended after SIG%s", signal).isTrue();
    assertThat(sent).as("the point to send SIG%s at was reached:%n%s", signal, output).isTrue();
    return new Result(process.exitValue(), output.toString());
  }

  private static void assumeRoot() {
    assumeTrue(PosixCalls.isRoot(), "install to-disk needs root");
  }
}
