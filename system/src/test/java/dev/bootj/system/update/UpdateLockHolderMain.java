package dev.bootj.system.update;

import java.nio.file.Path;

/**
 * The other bootj of {@link UpdateLockTest}, in its own JVM: takes the update lock in the
 * directory {@code args[0]}, says "locked" on stdout, and holds it until its stdin ends (the test
 * closes it, or dies) or it is killed.
 */
public final class UpdateLockHolderMain {

  private UpdateLockHolderMain() {}

  public static void main(String[] args) throws Exception {
    try (UpdateLock lock = UpdateLock.acquire(Path.of(args[0]), UpdateLockTest.NAME, UpdateLockTest.WHAT)) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Anything written to stdin is ignored; only its end matters.
      }
    }
  }
}
