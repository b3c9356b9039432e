package dev.bootj.system.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsReleaseTest {

  @Test
  void osReleaseFallsBackToNameThenLinux() {
    assertThat(OsRelease.parse("NAME='Fedora Linux'\n").prettyName()).isEqualTo("Fedora Linux");
    assertThat(OsRelease.parse("# nothing\n").prettyName()).isEqualTo("Linux");
    assertThat(OsRelease.parse("PRETTY_NAME=\"a \\\"b\\\"\"").prettyName()).isEqualTo("a \"b\"");
  }
}
