package dev.bootj.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog really resets a machine through QEMU's monitor: firmware alone on a blank disk
 * finds nothing to boot and falls silent, and after the (here short) stall it starts over.
 */
@QemuBoot
class BootWatchdogIT {

  @Test
  void aSilentBootIsResetThroughTheMonitor(@TempDir Path work) throws Exception {
    assumeTrue(QemuMachine.available(), "qemu-system-x86 and ovmf are needed");
    Path firmware = Files.copy(QemuMachine.OVMF, work.resolve("OVMF.fd"), StandardCopyOption.REPLACE_EXISTING);
    Path disk = work.resolve("blank.img");
    try (var file = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      file.truncate(0).position(64 << 20).write(java.nio.ByteBuffer.wrap(new byte[1]));
    }
    Path log = work.resolve("console.log");
    Path monitor = work.resolve("mon.sock");
    Process qemu = new ProcessBuilder(List.of(QemuMachine.QEMU.toString(), "-accel", "tcg,thread=multi", "-m", "256",
        "-bios", firmware.toString(), "-drive", "file=" + disk + ",format=raw,if=virtio", "-nographic",
        "-serial", "file:" + log, "-monitor", "unix:" + monitor + ",server=on,wait=off", "-nic", "none"))
        .redirectErrorStream(true).redirectOutput(work.resolve("qemu.out").toFile()).start();
    try {
      ConsoleLog console = new ConsoleLog(log);
      BootWatchdog watchdog = new BootWatchdog(console, BootWatchdog.throughMonitor(monitor), Duration.ofSeconds(15));
      watchdog.watch(false);
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      boolean reset = false;
      while (!reset && System.nanoTime() < deadline && qemu.isAlive()) {
        reset = watchdog.poll();
        Thread.sleep(250);
      }
      assertThat(reset).as("the watchdog reset the silent machine; console:%n%s", console.tail(20)).isTrue();
      long firstBoot = count(console.text(), "BdsDxe: ");
      while (count(console.text(), "BdsDxe: ") <= firstBoot && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      assertThat(count(console.text(), "BdsDxe: ")).as("the firmware started again after the reset").isGreaterThan(firstBoot);
    } finally {
      qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static long count(String text, String what) {
    return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
  }
}
