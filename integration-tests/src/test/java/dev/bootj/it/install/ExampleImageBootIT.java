package dev.bootj.it.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.it.support.BootProbe;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.Docker;
import dev.bootj.it.support.QemuBoot;
import dev.bootj.it.support.QemuMachine;
import dev.bootj.it.support.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The main job, end to end: build an OS image from {@code Containerfile.example} with the Docker
 * engine, push it to a real registry, {@code bootj install to-disk} it onto a new disk image, boot
 * that under UEFI in QEMU, and check from the serial console what the booted machine sees.
 */
@QemuBoot
class ExampleImageBootIT {

  /** Built from the cached debootstrap root by scripts/test (scripts/lib/host.sh ensure_base_image). */
  private static final String BASE_IMAGE = "bootj-base:bookworm";
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private Path work;
  private TestRegistry registry;

  @BeforeEach
  void prerequisites() throws Exception {
    QemuMachine.assumeInstallAndBoot();
    assertThat(Docker.hasImage(BASE_IMAGE))
        .as("the Docker image %s is missing; scripts/test builds it before the tests", BASE_IMAGE).isTrue();
    assertThat(REPO.resolve("cli/target/bootj.jar")).as("the bootj jar must be built before the integration tests").exists();
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "example-boot-");
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
  void exampleImageInstallsAndBootsSlotA() throws Exception {
    String example = registry.reference("bootj/example:it");
    Docker.build(REPO, REPO.resolve("Containerfile.example"), example, List.of("BASE=" + BASE_IMAGE, "VERSION=it"));
    String probed = registry.reference("bootj/example-probe:it");
    Docker.build(work.resolve("probe"), BootProbe.writeImageContext(work.resolve("probe"), example), probed, List.of());
    Docker.push(probed);

    Path disk = work.resolve("disk.img");
    Bootj bootj = new Bootj(work.resolve("store"));
    Bootj.Result install = bootj.run("install", "to-disk", "--json", "--image", probed, "--size", "4G",
        "--karg", "bootj.test=1", "--karg", "no_timer_check", disk.toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();
    JsonNode installed = CheckedJson.parse("install-v1", install.out());
    String digest = installed.get("digest").asText();
    String slotA = installed.get("partitions").get("root_a").asText();

    Bootj.Result status = bootj.run("status", "--disk", disk.toString(), "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode offline = CheckedJson.hostStatus(status.out());
    assertThat(offline.get("default").asText()).isEqualTo("a");
    assertThat(offline.get("slots").get("a").get("digest").asText()).isEqualTo(digest);
    assertThat(offline.get("slots").get("a").get("version").asText()).isEqualTo("it");
    assertThat(offline.get("slots").get("b").get("empty").asBoolean()).isTrue();

    // The probe's last step runs bootj (a JVM) inside the emulated guest: tens of seconds alone,
    // minutes on a loaded host (4 minutes in all was seen to be too short).
    String console = new QemuMachine(work).bootUntil(disk, BootProbe.PREFIX + "done", Duration.ofMinutes(10));
    assertThat(console).as("serial console in %s", work.resolve("console.log")).contains(BootProbe.PREFIX + "done");
    // Slot A booted, with the image's kargs.d and the one given at install.
    // systemd-boot puts initrd=... in front of the entry's options.
    assertThat(BootProbe.value(console, "cmdline"))
        .contains(" root=PARTUUID=" + slotA + " rw console=tty0 console=ttyS0,115200 bootj.test=1 no_timer_check");
    assertThat(BootProbe.value(console, "rootdev")).isEqualTo("/dev/vda2");
    // bootj itself, on the machine it installed.
    JsonNode running = CheckedJson.hostStatus(BootProbe.value(console, "status"));
    assertThat(running.get("booted").asText()).isEqualTo("a");
    assertThat(running.get("default").asText()).isEqualTo("a");
    assertThat(running.get("slots").get("a").get("digest").asText()).isEqualTo(digest);
    assertThat(BootProbe.value(console, "state")).contains("\"a\":{").contains("\"manifestDigest\":\"" + digest + "\"");
    assertThat(BootProbe.value(console, "usr")).isEqualTo("ro");
    assertThat(BootProbe.value(console, "etc")).isEqualTo("rw");
    assertThat(BootProbe.value(console, "var")).isEqualTo("/dev/vda4 ext4");
    assertThat(BootProbe.value(console, "efi")).isEqualTo("/dev/vda1 vfat");
  }

}
