package dev.bootj.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Boots a disk image under UEFI (OVMF) in QEMU with software emulation, as the environment notes
 * describe (nested KVM fails with OVMF here), and reads its serial console.
 */
public final class QemuMachine {

  public static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  public static final Path OVMF = Path.of("/usr/share/ovmf/OVMF.fd");

  private final Path work;

  /** @param work a directory for the firmware copy and the console log */
  public QemuMachine(Path work) {
    this.work = work;
  }

  public static boolean available() {
    return Files.isExecutable(QEMU) && Files.isRegularFile(OVMF);
  }

  /**
   * Boots {@code disk} until the console shows {@code until} (or the machine stops, or the time
   * is up), then stops it and returns everything the console printed.
   */
  public String bootUntil(Path disk, String until, Duration timeout) throws IOException, InterruptedException {
    Path firmware = work.resolve("OVMF.fd");
    Files.copy(OVMF, firmware, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path log = work.resolve("console.log");
    Files.deleteIfExists(log);
    Process qemu = new ProcessBuilder(QEMU.toString(), "-accel", "tcg,thread=multi", "-cpu", "max", "-m", "1024",
        "-smp", "2", "-bios", firmware.toString(), "-drive", "file=" + disk + ",format=raw,if=virtio",
        "-nographic", "-serial", "file:" + log, "-monitor", "none", "-no-reboot", "-nic", "none")
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("qemu.out").toFile())
        .start();
    long start = System.nanoTime();
    try {
      while (System.nanoTime() - start < timeout.toNanos() && qemu.isAlive()) {
        if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(until)) {
          System.out.printf("[qemu] '%s' after %.1f s%n", until, (System.nanoTime() - start) / 1e9);
          break;
        }
        Thread.sleep(250);
      }
    } finally {
      qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
  }
}
