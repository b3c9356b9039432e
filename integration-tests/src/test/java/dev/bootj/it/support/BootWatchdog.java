package dev.bootj.it.support;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a hardware watchdog does for a real machine: when a boot under way stops printing
 * anything on the serial console for {@link #STALL}, the machine is reset.
 *
 * <p>Why the tests need it: under software emulation on a loaded two-core host the guest kernel
 * has hung now and then before any bootj code runs (once at 1.7 s into a boot, silent for ten
 * minutes, after a {@code bootj rollback --apply} that had finished its work), and a shutdown has
 * stalled in systemd-shutdown once. A real fleet machine has a watchdog for exactly this. Only
 * silence during a boot counts: the watch is armed once the console shows the machine going down
 * or coming up, never while a command runs in a booted guest (whose console may stay quiet for
 * minutes). Resets are few ({@link #MAX_RESETS}) and printed, so a test that keeps hanging still fails.
 */
final class BootWatchdog {

  /** A boot under TCG prints something every few seconds; three silent minutes is a hang. */
  static final Duration STALL = Duration.ofMinutes(3);
  static final int MAX_RESETS = 2;

  /** Console lines that only a machine going down or coming up prints. */
  private static final List<String> BOOT_UNDER_WAY = List.of(
      "systemd-shutdown[1]:", "reboot: Restarting system", "BdsDxe: ", "Linux version ");

  /** How the machine is reset: QEMU's monitor, or a new QEMU process when it may not reboot. */
  interface Reset {
    void reset() throws IOException;
  }

  private final ConsoleLog console;
  private final Reset reset;
  private final Duration stall;
  private int resets;

  // The current watch.
  private boolean armed;
  private long watchedFrom;
  private long lastSize = -1;
  private long lastGrowth;

  BootWatchdog(ConsoleLog console, Reset reset) {
    this(console, reset, STALL);
  }

  BootWatchdog(ConsoleLog console, Reset reset, Duration stall) {
    this.console = console;
    this.reset = reset;
    this.stall = stall;
  }

  /** A reset through the human monitor on {@code monitorSocket} ({@code -monitor unix:PATH,server=on}). */
  static Reset throughMonitor(Path monitorSocket) {
    return () -> sendToMonitor(monitorSocket, "system_reset\n");
  }

  /**
   * Starts a watch: armed at once when a boot is known to be under way, otherwise once the
   * console, from its present end on, shows one.
   */
  void watch(boolean bootUnderWay) {
    armed = bootUnderWay;
    watchedFrom = console.size();
    lastSize = watchedFrom;
    lastGrowth = System.nanoTime();
  }

  /** Looks at the console; resets the machine when an armed watch saw it silent for too long. Returns whether it did. */
  boolean poll() throws IOException {
    long size = console.size();
    if (size != lastSize) {
      lastSize = size;
      lastGrowth = System.nanoTime();
      if (!armed) {
        String since = console.textFrom(watchedFrom);
        armed = BOOT_UNDER_WAY.stream().anyMatch(since::contains);
      }
      return false;
    }
    if (!armed || resets >= MAX_RESETS || System.nanoTime() - lastGrowth < stall.toNanos()) {
      return false;
    }
    resets++;
    System.out.printf("[qemu] watchdog: the console printed nothing for %d s during a boot; resetting the machine"
        + " as a hardware watchdog would (reset %d of at most %d)%n%s%n", stall.toSeconds(), resets, MAX_RESETS,
        console.tail(3));
    reset.reset();
    lastSize = console.size();
    lastGrowth = System.nanoTime();
    return true;
  }

  private static void sendToMonitor(Path monitorSocket, String command) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(monitorSocket));
      channel.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.US_ASCII)));
      // Wait for the monitor's answer so the command is read before the connection closes.
      ByteBuffer answer = ByteBuffer.allocate(4096);
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      channel.configureBlocking(false);
      StringBuilder seen = new StringBuilder();
      while (System.nanoTime() < until && !answered(seen)) {
        answer.clear();
        int read = channel.read(answer);
        if (read < 0) {
          break;
        }
        seen.append(new String(answer.array(), 0, Math.max(0, read), StandardCharsets.US_ASCII));
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The monitor echoes the command and then prints its next prompt. */
  private static boolean answered(CharSequence seen) {
    String text = seen.toString();
    int echoed = text.indexOf("system_reset");
    return echoed >= 0 && text.indexOf("(qemu)", echoed) >= 0;
  }
}
