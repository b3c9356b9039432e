package dev.bootj.it.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.it.support.BootProbe;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.BootjProcess;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.QemuBoot;
import dev.bootj.it.support.QemuMachine;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.it.support.Umoci;
import dev.bootj.system.disk.GptReader;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.BootedStatusReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OS image made by umoci, not Docker: the cached Debian root inserted with {@code umoci insert
 * ROOT /} (a layer whose first entry is the root directory itself, named "/", and whose names all
 * start with "/"), and a v2 that adds one file with {@code umoci insert FILE PATH} (a layer that
 * ends right after the file's data). Pushed with skopeo to a real registry, installed with {@code
 * bootj install to-disk} onto a 10 GiB image file (over the 8 GiB at which mkfs.vfat used to make
 * an unreadable ESP), switched offline to v2 (after three runs of that switch killed at three of
 * its steps), and booted in QEMU under UEFI: one boot checks the install, the switch, the ESP, and
 * that the kills left nothing in the way. A probe unit in the image reports on the serial console. QEMU
 * is then killed, as a power cut stops a machine, and the disk is switched offline to a v3 (made
 * as v2 is) with its journals in need of recovery.
 */
@QemuBoot
class UmociImageBootIT {

  private static final Path BASE_TARBALL = Path.of("/var/cache/bootj/debian-bookworm-base.tar");
  private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(6);

  private Path work;
  private TestRegistry registry;

  @BeforeEach
  void prerequisites() throws Exception {
    QemuMachine.assumeInstallAndBoot();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")), "umoci is needed (Debian package umoci)");
    assertThat(BASE_TARBALL).as("the cached Debian root; scripts/test builds it before the tests").exists();
    Files.createDirectories(Path.of("target"));
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "umoci-boot-");
    registry = new TestRegistry();
    registry.start();
  }

  @AfterEach
  void removeBigFiles() throws Exception {
    if (registry != null) {
      registry.stop();
    }
    if (work != null) {
      // The console log stays for reading after a failure; the disk, root and layout are gigabytes.
      run(Duration.ofMinutes(2), "rm", "-rf", work.resolve("root").toString(), work.resolve("layout").toString(),
          work.resolve("store").toString());
      Files.deleteIfExists(work.resolve("disk.img"));
    }
  }

  @Test
  void umociImageInstallsOnATenGibDiskSwitchesAndBoots() throws Exception {
    Path root = Files.createDirectory(work.resolve("root"));
    run(Duration.ofMinutes(5), "tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf",
        BASE_TARBALL.toString(), "-C", root.toString());
    Path kargs = Files.createDirectories(root.resolve("usr/lib/bootj/kargs.d"));
    Files.writeString(kargs.resolve("10-console.toml"), "kargs = [\"console=ttyS0\"]\n");
    // The machine's own signature policy, which its later switch follows: accept anything.
    Files.writeString(Files.createDirectories(root.resolve("etc/containers")).resolve("policy.json"),
        "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}\n");
    BootProbe.installInto(root);

    Path layout = work.resolve("layout");
    Umoci.newImage(layout, "v1");
    Umoci.insert(layout, "v1", "v1", root, "/");
    Path version = Files.writeString(work.resolve("it-version"), "2\n");
    Umoci.insert(layout, "v1", "v2", version, "/usr/share/it-version");
    Path version3 = Files.writeString(work.resolve("it-version-3"), "3\n");
    Umoci.insert(layout, "v1", "v3", version3, "/usr/share/it-version");
    String v1 = Skopeo.push(layout, "v1", registry, "bootj/umoci-os:v1");
    String v2 = Skopeo.push(layout, "v2", registry, "bootj/umoci-os:v2");
    String v3 = Skopeo.push(layout, "v3", registry, "bootj/umoci-os:v3");

    Path disk = work.resolve("disk.img");
    Bootj bootj = new Bootj(work.resolve("store"));
    Bootj.Result install = bootj.run("install", "to-disk", "--json", "--image", v1, "--size", "10G",
        "--karg", "bootj.test=1", "--karg", "no_timer_check", disk.toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();
    assertThat(Files.size(disk)).isEqualTo(10L << 30);
    JsonNode installed = CheckedJson.parse("install-v1", install.out());

    // The switch is killed three times first (SIGKILL, with the programs it runs, as a power cut
    // stops them): while it writes slot B, while it copies the kernel to the ESP (slot A still
    // boots next after both), and as it writes the boot entry (either slot may). The disk reads
    // after each; the switch then runs to the end over what they left, and the one boot below is
    // of that disk.
    Map<String, List<String>> bootsAfterAKillAt = new LinkedHashMap<>();
    bootsAfterAKillAt.put("Writing slot B", List.of("a"));
    bootsAfterAKillAt.put("Copying kernel", List.of("a"));
    bootsAfterAKillAt.put("Making slot B the next boot", List.of("a", "b"));
    for (Map.Entry<String, List<String>> step : bootsAfterAKillAt.entrySet()) {
      List<String> killed = BootjProcess.killWhen(work.resolve("store"),
          List.of("switch", "--disk", disk.toString(), "--progress", v2), line -> line.startsWith(step.getKey()));
      Bootj.Result afterKill = bootj.run("status", "--disk", disk.toString(), "--json");
      assertThat(afterKill.exitCode()).as("status after a kill at '%s':%n%s", step.getKey(), afterKill).isZero();
      assertThat(CheckedJson.hostStatus(afterKill.out()).get("default").asText())
          .as("what boots after a kill at '%s' (%s)", step.getKey(), killed).isIn(step.getValue());
    }
    Bootj.Result switched = bootj.run("switch", "--disk", disk.toString(), v2);
    assertThat(switched.exitCode()).as(switched.toString()).isZero();
    Bootj.Result status = bootj.run("status", "--disk", disk.toString(), "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode offline = CheckedJson.hostStatus(status.out());
    assertThat(offline.get("default").asText()).isEqualTo("b");
    String v2Digest = offline.get("slots").get("b").get("digest").asText();
    assertThat(offline.get("slots").get("a").get("digest").asText()).isEqualTo(installed.get("digest").asText());

    String console = new QemuMachine(work).bootUntil(disk, BootProbe.PREFIX + "done", BOOT_TIMEOUT);
    assertThat(console).as("serial console (%s)", work.resolve("console.log")).contains(BootProbe.PREFIX + "done");
    String slotB = installed.get("partitions").get("root_b").asText();
    assertThat(BootProbe.value(console, "cmdline"))
        .contains(" root=PARTUUID=" + slotB + " rw console=ttyS0 bootj.test=1 no_timer_check");
    assertThat(BootProbe.value(console, "rootdev")).isEqualTo("/dev/vda3");
    assertThat(BootProbe.value(console, "version")).isEqualTo("2");
    assertThat(BootProbe.value(console, "usr")).isEqualTo("ro");
    assertThat(BootProbe.value(console, "etc")).isEqualTo("rw");
    assertThat(BootProbe.value(console, "var")).isEqualTo("/dev/vda4 ext4");
    // The firmware read the ESP: systemd-boot came from it, and the kernel mounts it as vfat.
    assertThat(BootProbe.value(console, "efi")).isEqualTo("/dev/vda1 vfat");
    assertThat(BootProbe.value(console, "state")).contains(v2Digest);
    assertThat(BootProbe.value(console, "usretc")).isEqualTo("same");

    // `bootj status` on the booted machine, read from what that machine had: its real
    // /proc/cmdline and state.json, and its ESP as it left it on the disk.
    DiskStatus booted = new BootedStatusReader(bootedHostView(disk, console)).read();
    assertThat(booted.bootedSlot()).isEqualTo(Slot.B);
    assertThat(booted.defaultSlot()).isEqualTo(Slot.B);
    assertThat(booted.slots().get(Slot.B).image().manifestDigest()).isEqualTo(v2Digest);

    // The machine was stopped as a power cut stops it (QEMU killed): the slot it ran from holds
    // an ext4 journal that needs recovery, which a read-only mount of a read-only device refuses.
    // An offline switch is still an ordinary thing to do with that disk.
    GptReader.Entry slotBPartition = new GptReader().read(disk).get(2);
    assertThat(slotBPartition.number()).isEqualTo(3);
    String slotBImage = disk + "?offset=" + slotBPartition.offsetBytes();
    assertThat(dumpe2fsHeader(slotBImage)).as("slot B after the power cut").containsPattern("features:.*needs_recovery");
    Bootj.Result afterCut = bootj.run("switch", "--disk", disk.toString(), "--json", v3);
    assertThat(afterCut.exitCode()).as(afterCut.toString()).isZero();
    assertThat(CheckedJson.parse("update-v1", afterCut.out()).get("slot").asText()).isEqualTo("a");
    Bootj.Result statusAfterCut = bootj.run("status", "--disk", disk.toString(), "--json");
    assertThat(statusAfterCut.exitCode()).as(statusAfterCut.toString()).isZero();
    JsonNode switchedAfterCut = CheckedJson.hostStatus(statusAfterCut.out());
    assertThat(switchedAfterCut.get("default").asText()).isEqualTo("a");
    assertThat(switchedAfterCut.get("rollback").asText()).isEqualTo("b");
    assertThat(switchedAfterCut.get("slots").get("a").get("image").asText()).isEqualTo(v3);
    assertThat(switchedAfterCut.get("slots").get("b").get("digest").asText()).isEqualTo(v2Digest);
    // Reading slot B (the current one) replayed its journal, as its next boot would have.
    assertThat(dumpe2fsHeader(slotBImage)).doesNotContain("needs_recovery");
  }

  private static String dumpe2fsHeader(String image) throws IOException {
    return new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), "dumpe2fs", "-h", image));
  }

  // A stand-in root holding proc/cmdline and var/lib/bootj/state.json as the probe printed them,
  // and efi/loader copied off the ESP. (Not state.json off the disk: the machine was stopped
  // without unmounting, and debugfs does not replay ext4's journal.)
  private Path bootedHostView(Path disk, String console) throws IOException {
    Path host = Files.createDirectories(work.resolve("booted-host"));
    Files.createDirectories(host.resolve("proc"));
    Files.writeString(host.resolve("proc/cmdline"), probeLine(console, "cmdline") + "\n");
    Path stateFile = host.resolve(StateRecord.PATH.substring(1));
    Files.createDirectories(stateFile.getParent());
    Files.writeString(stateFile, probeLine(console, "state"));
    Files.createDirectories(host.resolve("efi"));
    new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), "mcopy", "-s", "-i",
        disk + "@@" + new GptReader().read(disk).get(0).offsetBytes(), "::/loader", host.resolve("efi").toString())
        .withEnvironment("MTOOLS_SKIP_CHECK", "1"));
    return host;
  }

  private static String probeLine(String console, String name) {
    String value = BootProbe.value(console, name);
    assertThat(value).as("the probe's %s line", name).isNotNull();
    return value;
  }

  private static void run(Duration timeout, String... argv) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(argv).inheritIO().start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", argv) + " failed");
    }
  }
}
