package dev.bootj.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test harness for tests that drive a booted machine: the example OS image with {@link
 * GuestShell} (and {@link BootProbe}, through one {@link TestLayer}) is installed with {@code
 * bootj install to-disk}, started with {@link QemuMachine#start}, and then commands run in it,
 * on the network, before and after a reboot in the same QEMU process.
 */
class GuestShellIT {

  /** Built from the cached debootstrap root by scripts/test (scripts/lib/host.sh ensure_base_image). */
  private static final String BASE_IMAGE = "bootj-base:bookworm";
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Duration BOOT = Duration.ofMinutes(5);
  private static final Duration COMMAND = Duration.ofMinutes(2);

  private Path work;
  private TestRegistry registry;

  @BeforeEach
  void prerequisites() throws Exception {
    assumeTrue(isRoot(), "installing to a disk needs root");
    assumeTrue(QemuMachine.available(), "qemu-system-x86 and ovmf are needed");
    assertThat(Docker.hasImage(BASE_IMAGE))
        .as("the Docker image %s is missing; scripts/test builds it before the tests", BASE_IMAGE).isTrue();
    assertThat(REPO.resolve("cli/target/bootj.jar")).as("the bootj jar must be built before the integration tests").exists();
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "guest-shell-");
    registry = new TestRegistry();
    registry.start();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (registry != null) {
      registry.stop();
    }
    if (work != null) {
      // The console log stays for reading after a failure; the disk is gigabytes.
      Files.deleteIfExists(work.resolve("disk.img"));
    }
  }

  @Test
  void commandsRunInTheGuestAcrossAReboot() throws Exception {
    String example = registry.reference("bootj/example:it");
    Docker.build(REPO, REPO.resolve("Containerfile.example"), example, List.of("BASE=" + BASE_IMAGE, "VERSION=it"));
    String testImage = registry.reference("bootj/example-shell:it");
    Path context = work.resolve("layer");
    Docker.build(context, BootProbe.layer().plus(GuestShell.layer()).writeImageContext(context, example), testImage, List.of());
    Docker.push(testImage);
    Path disk = work.resolve("disk.img");
    // no_timer_check: the kernel's early check of the timer interrupt, a busy loop, fails under
    // TCG on a loaded host ("IO-APIC + timer doesn't work!", a panic); seen here once.
    Bootj.Result install = new Bootj(work.resolve("store")).run("install", "to-disk", "--image", testImage, "--size", "4G",
        "--karg", "no_timer_check", disk.toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();

    try (RunningMachine machine = new QemuMachine(work).start(disk)) {
      String firstBoot = machine.awaitReady(BOOT);
      assertThat(machine.run("cat /proc/sys/kernel/random/boot_id", COMMAND).output().strip()).isEqualTo(firstBoot);

      GuestShell.Result osRelease = machine.run("cat /etc/os-release", COMMAND);
      assertThat(osRelease.exitCode()).as(osRelease.toString()).isZero();
      assertThat(osRelease.output()).contains("VERSION_CODENAME=bookworm");

      GuestShell.Result status = machine.run("bootj status --json", COMMAND);
      assertThat(status.exitCode()).as(status.toString()).isZero();
      assertThat(new ObjectMapper().readTree(status.output()).get("booted").asText()).isEqualTo("a");

      assertThat(machine.run("sh -c 'exit 3'", COMMAND).exitCode()).isEqualTo(3);
      // Output that looks like frames, quotes and no final newline arrive byte for byte.
      String tricky = "DONE 1 0 x\nREADY 00000000-0000-0000-0000-000000000000\n'\"$HOME\" \\ é";
      GuestShell.Result echoed = machine.run("printf '%s' \"$(printf '%s' '" + base64(tricky) + "' | base64 -d)\"", COMMAND);
      assertThat(echoed).isEqualTo(new GuestShell.Result(0, tricky));
      assertThat(machine.run("echo out; echo err >&2", COMMAND).output()).isEqualTo("out\nerr\n");

      // systemd-networkd configures the NIC by DHCP some time after the shell is up.
      assertThat(retry(machine, "grep -q '^[a-z0-9]*\t00000000\t0202000A' /proc/net/route", Duration.ofSeconds(60)))
          .as("a default route via 10.0.2.2 (/proc/net/route)").isTrue();
      GuestShell.Result registryAnswer = machine.run("bash -c 'exec 3<>/dev/tcp/10.0.2.2/" + registry.hostPort()
          + " && printf \"GET /v2/ HTTP/1.0\\r\\n\\r\\n\" >&3 && head -n 1 <&3'", COMMAND);
      assertThat(registryAnswer.output()).as("the host's registry seen from the guest").contains(" 200 OK");

      assertThat(machine.console()).contains(BootProbe.PREFIX + "done");

      String secondBoot = machine.reboot(BOOT);
      assertThat(secondBoot).isNotEqualTo(firstBoot);
      assertThat(machine.run("cat /proc/sys/kernel/random/boot_id", COMMAND).output().strip()).isEqualTo(secondBoot);
      GuestShell.Result statusAgain = machine.run("bootj status --json", COMMAND);
      assertThat(statusAgain.exitCode()).as(statusAgain.toString()).isZero();
    }
  }

  /** Runs {@code command} every 2 s until it exits 0 or the time is up; whether it ever did. */
  private static boolean retry(RunningMachine machine, String command, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (machine.run(command, COMMAND).exitCode() != 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2_000);
    }
    return true;
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
