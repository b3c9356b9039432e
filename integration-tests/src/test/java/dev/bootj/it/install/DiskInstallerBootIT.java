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
import dev.bootj.oci.unpack.PosixCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Path OVMF = Path.of("/usr/share/ovmf/OVMF.fd");
  private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);
  private static final String DIGEST = "sha256:" + "5eed".repeat(16);

  private Path work;

  @BeforeEach
  void prerequisites() throws IOException {
    assumeTrue(PosixCalls.effectiveUid() == 0, "needs root to unpack a root filesystem with its owners");
    assumeTrue(Files.isRegularFile(BASE_TARBALL), "no cached Debian root at " + BASE_TARBALL);
    assumeTrue(Files.isExecutable(QEMU) && Files.isRegularFile(OVMF), "qemu-system-x86 and ovmf are needed");
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
    addProbe(root);
    Path disk = work.resolve("disk.img");

    InstallRequest request = new InstallRequest(disk, 4L << 30, false, FilesystemType.EXT4, null,
        List.of("bootj.test=1"), null, root, new ImageIdentity("debian-bookworm-base.tar", DIGEST, "12"));
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
    assertThat(console).containsPattern("BOOTJ-PROBE cmdline=.*root=PARTUUID=" + rootA + " rw console=ttyS0 bootj.test=1");
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
    Matcher line = Pattern.compile("BOOTJ-PROBE " + name + "=([^\\r\\n]*)").matcher(console);
    assertThat(line.find()).as("the probe's %s line", name).isTrue();
    return line.group(1);
  }

  // A oneshot unit that prints what the booted machine sees, after /usr, /var and /efi are up.
  private static void addProbe(Path root) throws IOException {
    Path script = root.resolve("usr/local/sbin/bootj-probe");
    Files.createDirectories(script.getParent());
    Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "printf 'BOOTJ-PROBE cmdline=%s\\n' \"$(cat /proc/cmdline)\"",
        "if touch /usr/.probe 2>/dev/null; then echo 'BOOTJ-PROBE usr=rw'; rm -f /usr/.probe; else echo 'BOOTJ-PROBE usr=ro'; fi",
        // What the read-only /usr unit said (its mount errors go only to the journal otherwise).
        "journalctl -b -u bootj-readonly-usr.service --no-pager -o cat | sed 's/^/BOOTJ-PROBE unit: /'",
        "if touch /etc/.probe; then echo 'BOOTJ-PROBE etc=rw'; rm -f /etc/.probe; fi",
        "echo \"BOOTJ-PROBE var=$(findmnt -n -o SOURCE,FSTYPE /var)\"",
        "echo \"BOOTJ-PROBE efi=$(findmnt -n -o SOURCE,FSTYPE /efi)\"",
        "echo \"BOOTJ-PROBE state=$(tr -d ' \\n' </var/lib/bootj/state.json)\"",
        "if diff -r /usr/etc/hostname /etc/hostname >/dev/null; then echo 'BOOTJ-PROBE usretc=same'; fi",
        ""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path unit = root.resolve("etc/systemd/system/bootj-probe.service");
    Files.writeString(unit, String.join("\n",
        "[Unit]",
        "Description=bootj test probe",
        "RequiresMountsFor=/var /efi",
        "After=local-fs.target bootj-readonly-usr.service",
        "[Service]",
        "Type=oneshot",
        "ExecStart=/usr/local/sbin/bootj-probe",
        "StandardOutput=journal+console",
        "[Install]",
        "WantedBy=multi-user.target",
        ""));
    Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
    Files.createSymbolicLink(wants.resolve("bootj-probe.service"), Path.of("../bootj-probe.service"));
  }

  private String boot(Path disk) throws Exception {
    Path firmware = work.resolve("OVMF.fd");
    Files.copy(OVMF, firmware);
    Path log = work.resolve("console.log");
    Process qemu = new ProcessBuilder(QEMU.toString(), "-accel", "tcg,thread=multi", "-cpu", "max", "-m", "1024",
        "-smp", "2", "-bios", firmware.toString(), "-drive", "file=" + disk + ",format=raw,if=virtio",
        "-nographic", "-serial", "file:" + log, "-monitor", "none", "-no-reboot")
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("qemu.out").toFile())
        .start();
    long start = System.nanoTime();
    try {
      while (System.nanoTime() - start < BOOT_TIMEOUT.toNanos() && qemu.isAlive()) {
        if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains("login:")) {
          System.out.printf("[boot] login: after %.1f s%n", (System.nanoTime() - start) / 1e9);
          break;
        }
        Thread.sleep(250);
      }
    } finally {
      qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String console = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    assertThat(console).as("serial console (%s)", log).contains("login:");
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
