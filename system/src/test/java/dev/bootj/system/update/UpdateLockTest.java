package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateLockTest {

  @TempDir Path dir;

  @Test
  void aSecondHolderIsRefusedWithTheFirstOnesPidAndTheLockIsFreeAfterClose() throws Exception {
    try (UpdateLock first = UpdateLock.acquire(dir, "update.lock", "this machine")) {
      assertThatThrownBy(() -> UpdateLock.acquire(dir, "update.lock", "this machine"))
          .hasMessage("another bootj is already updating this machine (pid " + ProcessHandle.current().pid()
              + "); wait for it to finish, then run this again");
    }
    try (UpdateLock again = UpdateLock.acquire(dir, "update.lock", "this machine")) {
      assertThat(again).isNotNull();
    }
  }
}
