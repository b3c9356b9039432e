package dev.bootj.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots a disk image under UEFI (OVMF) in QEMU with software emulation, as the environment notes
 * describe (nested KVM fails with OVMF here), and reads its serial console.
 *
 * <p>Two ways: {@link #bootUntil} boots once, offline, until the console shows a string (for
 * images that report through {@link BootProbe}); {@link #start} leaves the machine running, on
 * the network, with a second serial port for the {@link GuestShell}, so a test can run commands
 * in it and reboot it.
 *
 * <p>Emulation is slow and other tests may share the host's two cores: give disks booted here
 * the kernel argument {@code no_timer_check} ({@code --karg} at install), or the kernel's early
 * timer check may fail and panic ("IO-APIC + timer doesn't work!"), as it did once here.
 */
public final class QemuMachine {

  public static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  public static final Path OVMF = Path.of("/usr/share/ovmf/OVMF.fd");

  /**
   * {@code max}: everything TCG emulates. The guest's JVM (bootj) dies now and then with SIGSEGV
   * inside JIT-compiled code under TCG (about one run in ten), so tests that run bootj in the
   * guest repeat a command once after such a crash. Turning the AVX family off (new in QEMU
   * 7.2's TCG) did not stop the crashes, and with it a guest reset hung in the firmware once, so
   * it was dropped. Multi-threaded TCG and code the JIT rewrites while the other vCPU runs it is
   * the next suspect ({@code -smp 1} would tell).
   */
  static final String CPU = "max";

  /** Longest unix socket path the kernel takes (sun_path is 108 bytes with its terminating NUL). */
  private static final int MAX_SOCKET_PATH = 107;

  private final Path work;

  /** @param work a directory for the firmware copy, the console log and QEMU's own output */
  public QemuMachine(Path work) {
    this.work = work;
  }

  public static boolean available() {
    return Files.isExecutable(QEMU) && Files.isRegularFile(OVMF);
  }

  /** Skips the calling test unless it can install a disk (root) and boot it (QEMU and OVMF). */
  public static void assumeInstallAndBoot() {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.bootj.common.posix.PosixCalls.isRoot(),
        "installing to a disk needs root");
    org.junit.jupiter.api.Assumptions.assumeTrue(available(), "qemu-system-x86 and ovmf are needed");
  }

  /**
   * Boots {@code disk} until the console shows {@code until} (or the machine stops, or the time
   * is up), then stops it and returns everything the console printed. The machine has no
   * network and stops instead of rebooting.
   */
  public String bootUntil(Path disk, String until, Duration timeout) throws IOException, InterruptedException {
    Path log = work.resolve("console.log");
    List<String> command = command(disk, log);
    command.addAll(List.of("-no-reboot", "-nic", "none"));
    // With -no-reboot a reset stops QEMU, so the watchdog power-cycles it: a new process.
    Process[] qemu = {launch(command)};
    ConsoleLog console = new ConsoleLog(log);
    BootWatchdog watchdog = new BootWatchdog(console, () -> {
      qemu[0].destroyForcibly();
      try {
        qemu[0].waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      qemu[0] = launch(command);
    });
    watchdog.watch(true);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline && qemu[0].isAlive()) {
        if (console.text().contains(until)) {
          System.out.printf("[qemu] '%s' after %.1f s%n", until, (System.nanoTime() - start) / 1e9);
          break;
        }
        if (watchdog.poll()) {
          deadline = Math.max(deadline, System.nanoTime() + Duration.ofMinutes(6).toNanos());
        }
        Thread.sleep(250);
      }
    } finally {
      qemu[0].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return console.text();
  }

  /**
   * Starts {@code disk} and returns at once, connected to the guest's second serial port, for an
   * image that carries the {@link GuestShell}; wait for it with {@link RunningMachine#awaitReady}.
   * A reboot in the guest restarts the machine in the same QEMU process. The guest is on QEMU's
   * user-mode network: it reaches the host's 127.0.0.1:PORT (a test registry) as 10.0.2.2:PORT.
   */
  public RunningMachine start(Path disk) throws IOException, InterruptedException {
    Path log = work.resolve("console.log");
    Path socket = socketPath("shell.sock");
    Path monitor = socket.resolveSibling("mon.sock");
    Files.deleteIfExists(socket);
    Files.deleteIfExists(monitor);
    List<String> command = command(disk, log);
    // The monitor socket lets the tests' watchdog reset a hung machine (BootWatchdog).
    command.set(command.indexOf("-monitor") + 1, "unix:" + monitor + ",server=on,wait=off");
    command.addAll(List.of(
        "-chardev", "socket,id=shell,path=" + socket + ",server=on,wait=off",
        "-serial", "chardev:shell",
        "-nic", "user,model=virtio-net-pci"));
    RunningMachine machine = new RunningMachine(launch(command), log, socket, monitor);
    machine.awaitConnected(Duration.ofSeconds(30), work.resolve("qemu.out"));
    System.out.printf("[qemu] started %s (console: %s)%n", disk.getFileName(), log);
    return machine;
  }

  /** What both ways share; the first -serial (ttyS0, the kernel console) goes to {@code log}. */
  private List<String> command(Path disk, Path log) throws IOException {
    requireQemuBootTag();
    Path firmware = work.resolve("OVMF.fd");
    Files.copy(OVMF, firmware, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(log);
    return new ArrayList<>(List.of(QEMU.toString(), "-accel", "tcg,thread=multi", "-cpu", CPU, "-m", "1024",
        "-smp", "2", "-bios", firmware.toString(), "-drive", "file=" + disk + ",format=raw,if=virtio",
        "-nographic", "-serial", "file:" + log, "-monitor", "none"));
  }

  /**
   * The quick lane finds boot tests by their tag alone; an untagged test that boots would make it
   * minutes slower without anyone noticing, so it fails here instead, at its first boot.
   */
  private static void requireQemuBootTag() {
    boolean tagged = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.anyMatch(QemuMachine::carriesQemuBoot));
    if (!tagged) {
      throw new IllegalStateException("a test that boots QEMU must be annotated @" + QemuBoot.class.getSimpleName()
          + " (on its class or method), so that the quick lane (scripts/test --quick) leaves it out");
    }
  }

  private static boolean carriesQemuBoot(StackWalker.StackFrame frame) {
    for (Class<?> type = frame.getDeclaringClass(); type != null; type = type.getEnclosingClass()) {
      if (type.isAnnotationPresent(QemuBoot.class)) {
        return true;
      }
    }
    return Arrays.stream(frame.getDeclaringClass().getDeclaredMethods())
        .anyMatch(method -> method.getName().equals(frame.getMethodName()) && method.isAnnotationPresent(QemuBoot.class));
  }

  private Process launch(List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("qemu.out").toFile())
        .start();
  }

  /** In the work directory when its path is short enough for a unix socket, else in /tmp. */
  private Path socketPath(String name) throws IOException {
    Path socket = work.toAbsolutePath().resolve(name);
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
      return socket;
    }
    return Files.createTempDirectory("bootj-qemu-").resolve(name);
  }
}
