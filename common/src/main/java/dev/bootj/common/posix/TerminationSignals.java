package dev.bootj.common.posix;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Signal;

/**
 * SIGINT, SIGTERM and SIGHUP as a request to stop the running command, not as the JVM's abrupt
 * exit: the JVM would exit at once, leaving a half-written disk image file, a staging tree of
 * hundreds of megabytes, loop devices and mounts behind. Here the command stops at its next
 * {@link #checkpoint} (every tar entry, every downloaded buffer, every step) or when the host
 * program it waits for is stopped ({@link #arrivedAfter}), and unwinds through the same cleanups as
 * any failure; then the process exits 128 + the signal's number (130, 143, 129), as a shell
 * reports it. The thread is not interrupted: the cleanups themselves run host programs (umount,
 * losetup -d) that an interrupt would break.
 *
 * <p>If the command has not finished {@link #GRACE_MILLIS} after the signal (stuck in a read
 * that does not notice interrupts), or a second signal comes, the cleanups registered with {@link
 * #whileRunning} run here and the process halts. Installed only by the command line's {@code main};
 * tests that run commands in-process never change the JVM's signal handling.
 */
public final class TerminationSignals {

  /** Under systemd's default stop timeout (90 s), with room for the cleanups. */
  static final long GRACE_MILLIS = 20_000;

  private static final List<String> HANDLED = List.of("INT", "TERM", "HUP");
  private static final Map<Long, Runnable> CLEANUPS = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();

  private static volatile Signal received;
  private static volatile long receivedAt;

  private TerminationSignals() {}

  /** Takes over SIGINT, SIGTERM and SIGHUP for the command about to run. */
  public static void install() {
    for (String name : HANDLED) {
      try {
        Signal.handle(new Signal(name), TerminationSignals::onSignal);
      } catch (IllegalArgumentException e) {
        // A signal the JVM keeps for itself (e.g. under -Xrs): its default stays.
      }
    }
  }

  /** The signal that asked the command to stop, or null. */
  public static String received() {
    Signal signal = received;
    return signal == null ? null : "SIG" + signal.getName();
  }

  /** The exit status for the signal received (128 + its number), or -1 when none came. */
  public static int exitStatus() {
    Signal signal = received;
    return signal == null ? -1 : 128 + signal.getNumber();
  }

  /** Thrown at a checkpoint after a signal; unchecked, so it passes every cleanup on its way out. */
  public static final class Stopped extends RuntimeException {
    Stopped(String signal) {
      super("stopped by " + signal + "; what this command had made was removed");
    }
  }

  /** Throws {@link Stopped} when a signal asked the command to stop; long loops call this now and then. */
  public static void checkpoint() {
    if (received != null) {
      throw new Stopped(received());
    }
  }

  /**
   * Whether a signal came after {@code startedNanos} ({@link System#nanoTime}): a host program
   * that was running then is stopped; one started later (a cleanup's umount) is left to finish.
   */
  public static boolean arrivedAfter(long startedNanos) {
    return received != null && receivedAt - startedNanos > 0;
  }

  /** The exception {@link #checkpoint} throws, for code that detects the stop itself. */
  public static Stopped stopped() {
    return new Stopped(received());
  }

  /**
   * Registers {@code cleanup} to run if the command cannot unwind by itself after a signal;
   * closing the returned handle (when the resource was cleaned up normally) unregisters it.
   */
  public static Registration whileRunning(Runnable cleanup) {
    long id = NEXT.incrementAndGet();
    CLEANUPS.put(id, cleanup);
    return () -> CLEANUPS.remove(id);
  }

  /** A registered last-resort cleanup; closing it unregisters it. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static void onSignal(Signal signal) {
    if (received != null) {
      runCleanupsAndHalt(signal);
      return;
    }
    receivedAt = System.nanoTime();
    received = signal;
    Thread guard = new Thread(() -> {
      try {
        Thread.sleep(GRACE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      runCleanupsAndHalt(signal);
    }, "bootj-termination-guard");
    guard.setDaemon(true);
    guard.start();
  }

  private static void runCleanupsAndHalt(Signal signal) {
    for (Runnable cleanup : CLEANUPS.values()) {
      try {
        cleanup.run();
      } catch (RuntimeException e) {
        // Best effort: the next run removes what is left (staging trees, stale loop devices).
      }
    }
    Runtime.getRuntime().halt(128 + signal.getNumber());
  }
}
