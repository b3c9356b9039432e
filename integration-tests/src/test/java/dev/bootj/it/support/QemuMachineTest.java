package dev.bootj.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This class is not tagged {@link QemuBoot}, so it stands for a boot test someone forgot to tag. */
class QemuMachineTest {

  @Test
  void anUntaggedTestCannotBoot(@TempDir Path work) {
    assertThatThrownBy(() -> new QemuMachine(work).bootUntil(work.resolve("disk.img"), "login:", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@QemuBoot");
    // Refused before anything was prepared for QEMU, let alone started.
    assertThat(Files.exists(work.resolve("OVMF.fd"))).isFalse();
  }
}
