package dev.bootj.it.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.installer.BootedStatusReader;
import dev.bootj.installer.DiskInstaller;
import dev.bootj.installer.DiskStatus;
import dev.bootj.installer.DiskStatusReader;
import dev.bootj.installer.FilesystemType;
import dev.bootj.installer.ImageIdentity;
import dev.bootj.installer.InstallRequest;
import dev.bootj.installer.InstallResult;
import dev.bootj.installer.Slot;
import dev.bootj.installer.StateRecord;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.it.support.BootProbe;
import dev.bootj.it.support.QemuMachine;
import dev.bootj.oci.unpack.PosixCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Installs a real Debian 12 root (the cached debootstrap tarball, standing in for an unpacked
 * image) onto a new 4 GiB disk image with {@link DiskInstaller}, boots it in QEMU under UEFI
 * (OVMF, software emulation) and reads the result from the serial console, where a probe unit
 * added to the root reports what the booted machine sees.
 */
class DiskInstallerBootIT {

  private static final Path BASE_TARBALL = Path.of("/var/cache/bootj/debian-bookworm-base.tar");
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
  private static final String DIGEST = "sha256:" + "5eed".repeat(16);

  private Path work;

  @BeforeEach
  void prerequisites() throws IOException {
    assumeTrue(PosixCalls.effectiveUid() == 0, "needs root to unpack a root filesystem with its owners");
    assumeTrue(Files.isRegularFile(BASE_TARBALL), "no cached Debian root at " + BASE_TARBALL);
    assumeTrue(QemuMachine.available(), "qemu-system-x86 and ovmf are needed");
    Files.createDirectories(Path.of("target"));
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "install-it-");
  }

  @AfterEach
  void removeBigFiles() throws Exception {
    if (work != null) {
      // The console log stays for reading after a failure; the disk and roots are gigabytes.
      run(Duration.ofMinutes(2), "rm", "-rf", work.resolve("root").toString(), work.resolve("root.var").toString());
      Files.deleteIfExists(work.resolve("disk.img"));
    }
  }

  @Test
  void installedDebianBootsSlotAWithReadOnlyUsrAndStateOnVar() throws Exception {
    Path root = Files.createDirectory(work.resolve("root"));
    run(Duration.ofMinutes(5), "tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf",
        BASE_TARBALL.toString(), "-C", root.toString());
    Path kargs = Files.createDirectories(root.resolve("usr/lib/bootj/kargs.d"));
    Files.writeString(kargs.resolve("10-console.toml"), "kargs = [\"console=ttyS0\"]\n");
    BootProbe.installInto(root);
    Path disk = work.resolve("disk.img");

    InstallRequest request = new InstallRequest(disk, 4L << 30, false, FilesystemType.EXT4, null,
        List.of("bootj.test=1", "no_timer_check"), null, root, new ImageIdentity("debian-bookworm-base.tar", DIGEST, "12"));
    long installStart = System.nanoTime();
    InstallResult result = new DiskInstaller().install(request, line -> System.out.println("[install] " + line));
    System.out.printf("[install] took %.1f s%n", (System.nanoTime() - installStart) / 1e9);

    DiskStatus status = new DiskStatusReader().read(disk);
    assertThat(status.defaultSlot()).isEqualTo(Slot.A);
    assertThat(status.slots()).containsOnlyKeys(Slot.A);
    assertThat(status.slots().get(Slot.A).image().manifestDigest()).isEqualTo(DIGEST);
    assertThat(status.slots().get(Slot.A).kernelOptions()).contains("console=ttyS0", "bootj.test=1");

    String console = boot(disk);
    String rootA = result.layout().rootA().partUuid().toString();
    assertThat(console).contains("BOOTJ-PROBE usr=ro", "BOOTJ-PROBE etc=rw");
    assertThat(console).containsPattern("BOOTJ-PROBE cmdline=.*root=PARTUUID=" + rootA + " rw console=ttyS0 bootj.test=1 no_timer_check");
    assertThat(console).containsPattern("BOOTJ-PROBE var=/dev/vda4 ext4");
    assertThat(console).containsPattern("BOOTJ-PROBE efi=/dev/vda1 vfat");
    assertThat(console).contains("BOOTJ-PROBE state=").contains(DIGEST);
    assertThat(console).contains("BOOTJ-PROBE usretc=same");

    // `bootj status` on the booted machine, read from what that machine had: its real
    // /proc/cmdline and state.json, and its ESP as it left it on the disk.
    DiskStatus booted = new BootedStatusReader(bootedHostView(disk, result, console)).read();
    assertThat(booted.bootedSlot()).isEqualTo(Slot.A);
    assertThat(booted.defaultSlot()).isEqualTo(Slot.A);
    assertThat(booted.slots()).containsOnlyKeys(Slot.A);
    assertThat(booted.slots().get(Slot.A).partUuid()).isEqualTo(result.layout().rootA().partUuid());
    assertThat(booted.slots().get(Slot.A).image().manifestDigest()).isEqualTo(DIGEST);
  }

  // A stand-in root holding proc/cmdline and var/lib/bootj/state.json as the probe printed them,
  // and efi/loader copied off the ESP. (Not state.json off the disk: the machine was stopped
  // without unmounting, and debugfs does not replay ext4's journal.)
  private Path bootedHostView(Path disk, InstallResult result, String console) throws IOException {
    Path host = Files.createDirectories(work.resolve("booted-host"));
    Files.createDirectories(host.resolve("proc"));
    Files.writeString(host.resolve("proc/cmdline"), probeLine(console, "cmdline") + "\n");
    Path stateFile = host.resolve(StateRecord.PATH.substring(1));
    Files.createDirectories(stateFile.getParent());
    Files.writeString(stateFile, probeLine(console, "state"));
    Files.createDirectories(host.resolve("efi"));
    new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), "mcopy", "-s", "-i",
        disk + "@@" + result.layout().esp().offsetBytes(), "::/loader", host.resolve("efi").toString())
        .withEnvironment("MTOOLS_SKIP_CHECK", "1"));
    return host;
  }

  private static String probeLine(String console, String name) {
    String value = BootProbe.value(console, name);
    assertThat(value).as("the probe's %s line", name).isNotNull();
    return value;
  }

  private String boot(Path disk) throws Exception {
    String console = new QemuMachine(work).bootUntil(disk, BootProbe.PREFIX + "done", BOOT_TIMEOUT);
    assertThat(console).as("serial console (%s)", work.resolve("console.log")).contains(BootProbe.PREFIX + "done");
    return console;
  }

  private static void run(Duration timeout, String... argv) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(argv).inheritIO().start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", argv) + " failed");
    }
  }
}
