package dev.bootj.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A QEMU machine a test talks to while it runs, through the {@link GuestShell} its image
 * carries: run commands, reboot it (the QEMU process stays, as real hardware would), run more.
 * Made by {@link QemuMachine#start}; closing it kills QEMU.
 *
 * <pre>{@code
 * try (RunningMachine machine = new QemuMachine(work).start(disk)) {
 *   String first = machine.awaitReady(Duration.ofMinutes(4));
 *   GuestShell.Result status = machine.run("bootj status --json", Duration.ofMinutes(2));
 *   String second = machine.reboot(Duration.ofMinutes(4));
 * }
 * }</pre>
 *
 * <p>The machine knows which boot it talks to by the boot id the shell announces: {@link
 * #awaitReady} returns once a boot it has not returned before is ready, and {@link #run}
 * refuses to send into a boot nobody has waited for, because a line sent while the firmware
 * runs would reach the boot menu as key presses.
 */
public final class RunningMachine implements AutoCloseable {

  /** How much longer than a command's own limit the host waits for its answer. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(20);
  /** A boot after a watchdog reset gets at least this long: firmware, kernel and systemd under TCG. */
  private static final Duration AFTER_RESET = Duration.ofMinutes(6);
  /** How often waiting looks for a kernel panic on the console. */
  private static final Duration PANIC_CHECK = Duration.ofSeconds(2);

  private final Process qemu;
  private final ConsoleLog console;
  private final SerialSocket shell;
  private final BootWatchdog watchdog;
  private final long started = System.nanoTime();

  private final Object lock = new Object();
  // Written by the serial reader, guarded by lock.
  private String latestBootId;
  private long readyCount;
  private final Map<Long, GuestShell.Result> results = new HashMap<>();

  // The test's own thread only.
  private String bootId;
  private int boots;
  private long nextId = 1;
  private long waitingSince = started;

  RunningMachine(Process qemu, Path consoleLog, Path shellSocket, Path monitorSocket) {
    this.qemu = qemu;
    this.console = new ConsoleLog(consoleLog);
    this.shell = new SerialSocket(shellSocket, this::onLine);
    this.watchdog = new BootWatchdog(console, BootWatchdog.throughMonitor(monitorSocket));
  }

  /** Waits until the shell socket is connected; fails (and stops QEMU) if QEMU did not come up. */
  void awaitConnected(Duration timeout, Path qemuOutput) throws IOException, InterruptedException {
    try {
      shell.awaitConnected(timeout);
    } catch (IllegalStateException e) {
      close();
      String output = Files.exists(qemuOutput) ? Files.readString(qemuOutput, StandardCharsets.ISO_8859_1) : "";
      throw new IllegalStateException("QEMU did not open its shell socket (" + e.getMessage() + "):\n" + output, e);
    }
  }

  /**
   * Waits until the guest shell of a new boot announces itself: the first boot, or the one
   * after a reboot. Returns that boot's id (/proc/sys/kernel/random/boot_id).
   */
  public String awaitReady(Duration timeout) throws InterruptedException {
    // Called on its own, the machine is starting or rebooting by itself: a boot is under way.
    watchdog.watch(true);
    return awaitReady(deadline(timeout));
  }

  private String awaitReady(long deadline) throws InterruptedException {
    String previous = bootId;
    synchronized (lock) {
      waitFor(() -> latestBootId != null && !latestBootId.equals(previous), deadline,
          previous == null ? "the guest shell of the first boot" : "the guest shell of a boot after " + previous, true);
      bootId = latestBootId;
    }
    boots++;
    System.out.printf("[qemu] ready boot %d (%s) after %.1f s%n", boots, bootId, (System.nanoTime() - waitingSince) / 1e9);
    return bootId;
  }

  /**
   * Runs {@code command} with {@code sh -c} as root in the guest and returns its exit code and
   * output (stdout and stderr together). The guest kills it after {@code timeout} (exit 124).
   */
  public GuestShell.Result run(String command, Duration timeout) throws IOException, InterruptedException {
    long readyBefore;
    synchronized (lock) {
      readyBefore = readyCount;
    }
    long sent = System.nanoTime();
    long id = send(command, timeout);
    GuestShell.Result result;
    synchronized (lock) {
      waitFor(() -> results.containsKey(id) || readyCount != readyBefore, deadline(timeout.plus(ANSWER_GRACE)),
          "the answer to: " + command, false);
      if (!results.containsKey(id)) {
        throw new IllegalStateException("the guest shell restarted (boot " + latestBootId + ") while running: "
            + command + "\n" + consoleTail());
      }
      result = results.remove(id);
    }
    System.out.printf("[guest] exit %d after %.1f s: %s%n", result.exitCode(), (System.nanoTime() - sent) / 1e9,
        shortened(command));
    return result;
  }

  /**
   * Waits for a reboot the running guest makes on its own after some work (an unattended update
   * that stages, then reboots), and for the boot after it; returns that boot's id. Until the
   * console shows the machine going down, its silence is the work, not a hang.
   */
  public String awaitRebootBySelf(Duration timeout) throws InterruptedException {
    watchdog.watch(false);
    waitingSince = System.nanoTime();
    System.out.printf("[qemu] waiting for boot %d to reboot by itself%n", boots);
    return awaitReady(deadline(timeout));
  }

  /** Reboots the guest with {@code systemctl reboot}; returns the new boot id once its shell is ready. */
  public String reboot(Duration timeout) throws IOException, InterruptedException {
    return rebootBy("systemctl reboot", timeout);
  }

  /**
   * Runs a command that reboots the guest (such as an update applied with a reboot) and waits
   * for the next boot; returns its boot id. Fails at once if the command fails instead.
   * {@code timeout} covers the command, the reboot and the new boot.
   */
  public String rebootBy(String command, Duration timeout) throws IOException, InterruptedException {
    String before = bootId;
    // The command runs first, in a booted guest whose console may stay quiet: the watchdog
    // waits for the console to show the machine going down before it counts silence.
    watchdog.watch(false);
    long id = send(command, timeout);
    waitingSince = System.nanoTime();
    long deadline = deadline(timeout);
    System.out.printf("[qemu] rebooting boot %d by: %s%n", boots, shortened(command));
    synchronized (lock) {
      deadline = waitFor(() -> !before.equals(latestBootId) || failed(results.get(id)), deadline,
          "a reboot by: " + command, true);
      GuestShell.Result result = results.remove(id);
      if (before.equals(latestBootId)) {
        throw new IllegalStateException("no reboot, the command failed: " + command + "\n" + result);
      }
    }
    return awaitReady(deadline);
  }

  /** The boot id of the boot the machine talks to ({@code null} before {@link #awaitReady}). */
  public String bootId() {
    return bootId;
  }

  /** Everything the guest printed on its serial console (ttyS0) so far, over all boots. */
  public String console() throws IOException {
    return console.text();
  }

  /** Kills QEMU. */
  @Override
  public void close() throws InterruptedException {
    shell.close();
    qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    System.out.printf("[qemu] stopped after %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private long send(String command, Duration timeout) throws IOException {
    synchronized (lock) {
      if (bootId == null) {
        throw new IllegalStateException("no boot is ready yet: call awaitReady first");
      }
      if (!bootId.equals(latestBootId)) {
        throw new IllegalStateException("the guest rebooted (now boot " + latestBootId + "): call awaitReady first");
      }
    }
    long id = nextId++;
    shell.write(GuestShell.request(id, timeout, command));
    return id;
  }

  private void onLine(String line) {
    GuestShell.parse(line).ifPresent(frame -> {
      synchronized (lock) {
        if (frame instanceof GuestShell.Ready ready) {
          latestBootId = ready.bootId();
          readyCount++;
        } else if (frame instanceof GuestShell.Done done) {
          results.put(done.id(), done.result());
        }
        lock.notifyAll();
      }
    });
  }

  private static String shortened(String command) {
    String line = command.replace('\n', ' ');
    return line.length() > 100 ? line.substring(0, 100) + "..." : line;
  }

  private static boolean failed(GuestShell.Result result) {
    return result != null && result.exitCode() != 0;
  }

  private static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }

  /**
   * Waits on {@code lock} (held) until {@code condition}; fails when QEMU stops, the kernel
   * panics, or at the deadline. While waiting for a boot, the {@link BootWatchdog} may reset a
   * hung machine; the boot after that gets {@link #AFTER_RESET} more time if the deadline is
   * nearer. Returns the deadline, moved or not.
   */
  private long waitFor(BooleanSupplier condition, long deadline, String what, boolean boot) throws InterruptedException {
    long nextPanicCheck = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (boot && resetByWatchdog()) {
        deadline = Math.max(deadline, deadline(AFTER_RESET));
      }
      if (!qemu.isAlive()) {
        throw new IllegalStateException("QEMU stopped (exit " + qemu.exitValue() + ") while waiting for " + what
            + "\n" + consoleTail());
      }
      if (System.nanoTime() - nextPanicCheck >= 0) {
        nextPanicCheck = System.nanoTime() + PANIC_CHECK.toNanos();
        String panic = panic();
        if (panic != null) {
          throw new IllegalStateException("the guest kernel panicked while waiting for " + what + ": " + panic
              + "\n" + consoleTail());
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("timed out waiting for " + what + "\n" + consoleTail());
      }
      lock.wait(Math.max(1, Math.min(left / 1_000_000, 500)));
    }
    return deadline;
  }

  private boolean resetByWatchdog() {
    try {
      return watchdog.poll();
    } catch (IOException e) {
      throw new IllegalStateException("the watchdog could not reset the machine through QEMU's monitor", e);
    }
  }

  private String consoleTail() {
    return console.tail(40);
  }

  private String panic() {
    try {
      return console.panic().orElse(null);
    } catch (IOException e) {
      return null; // the console is only read for diagnosis
    }
  }
}
