package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateLockTest {

  static final String NAME = "update.lock";
  static final String WHAT = "this machine";

  @TempDir Path dir;

  private Process holder;

  @AfterEach
  void stopHolder() throws InterruptedException {
    if (holder != null) {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSecondHolderIsRefusedWithTheFirstOnesPidAndTheLockIsFreeAfterClose() throws Exception {
    try (UpdateLock first = UpdateLock.acquire(dir, NAME, WHAT)) {
      assertThatThrownBy(() -> UpdateLock.acquire(dir, NAME, WHAT))
          .hasMessage(refusal(ProcessHandle.current().pid()));
    }
    try (UpdateLock again = UpdateLock.acquire(dir, NAME, WHAT)) {
      assertThat(again).isNotNull();
    }
  }

  /**
   * The in-JVM set of held paths is empty here: only the kernel's lock, held by the other
   * process, can refuse this one.
   */
  @Test
  void anotherProcessHoldingTheLockRefusesThisOneUntilItExits() throws Exception {
    holder = startHolder();

    assertThatThrownBy(() -> UpdateLock.acquire(dir, NAME, WHAT))
        .isInstanceOf(BootjException.class)
        .hasMessage(refusal(holder.pid()));

    holder.getOutputStream().close();
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).as("the holder exits once its stdin ends").isTrue();
    assertThat(holder.exitValue()).as(output(holder)).isZero();
    try (UpdateLock mine = UpdateLock.acquire(dir, NAME, WHAT)) {
      assertThat(mine).isNotNull();
    }
  }

  /** What the kernel lock is for: a bootj killed mid-update leaves no stale lock behind. */
  @Test
  void aLockHolderKilledWithSigkillLeavesTheLockFree() throws Exception {
    holder = startHolder();
    assertThatThrownBy(() -> UpdateLock.acquire(dir, NAME, WHAT)).hasMessage(refusal(holder.pid()));

    holder.destroyForcibly(); // SIGKILL: the holder runs no code of its own to let go of the lock.
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(holder.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

    try (UpdateLock mine = UpdateLock.acquire(dir, NAME, WHAT)) {
      assertThat(mine).isNotNull();
    }
  }

  private static String refusal(long pid) {
    return "another bootj is already updating " + WHAT + " (pid " + pid + "); wait for it to finish, then run this again";
  }

  /** Starts {@link UpdateLockHolderMain} and returns once it holds the lock. */
  private Process startHolder() throws Exception {
    String classpath = String.join(":", List.of(
        location(UpdateLockHolderMain.class), location(UpdateLock.class), location(BootjException.class)));
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // A JVM that only takes a lock: start it as fast as the JDK allows.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", classpath, UpdateLockHolderMain.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return "reading the holder's output failed: " + e;
      }
    });
    String line;
    try {
      line = first.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("the holder process did not take the lock within 30 s", e);
    }
    if (!"locked".equals(line)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the holder process did not take the lock: " + line + "\n" + output(process));
    }
    return process;
  }

  private static String output(Process process) {
    try {
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  private static String location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
