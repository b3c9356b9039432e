package dev.bootj.system.disk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Mke2fsTest {

  @Test
  void readsTheVersionLineMke2fsPrints() {
    Mke2fs m = Mke2fs.parse("mke2fs 1.47.0 (5-Feb-2023)\n\tUsing EXT2FS Library version 1.47.0\n").orElseThrow();
    assertThat(m.version()).isEqualTo("1.47.0");
    assertThat(m.canFillFromDirectory()).isTrue();
    assertThat(m.knowsOrphanFile()).isTrue();
    assertThat(Mke2fs.parse("mke2fs 1.47.1-rc1 (1-May-2024)").orElseThrow().version()).isEqualTo("1.47.1-rc1");
    assertThat(Mke2fs.parse("no version here")).isEmpty();
  }

  @Test
  void versionDecidesWhatBootjMayAskFor() {
    Mke2fs centos7 = Mke2fs.parse("mke2fs 1.42.9 (28-Dec-2013)").orElseThrow();
    assertThat(centos7.canFillFromDirectory()).isFalse();
    assertThat(centos7.tooOldMessage()).startsWith("mkfs.ext4 is e2fsprogs 1.42.9, which cannot");
    Mke2fs jammy = Mke2fs.parse("mke2fs 1.46.5 (30-Dec-2021)").orElseThrow();
    assertThat(jammy.canFillFromDirectory()).isTrue();
    assertThat(jammy.knowsOrphanFile()).isFalse();
    assertThat(Mke2fs.parse("mke2fs 2.0.0 (1-Jan-2030)").orElseThrow().knowsOrphanFile()).isTrue();
  }
}
