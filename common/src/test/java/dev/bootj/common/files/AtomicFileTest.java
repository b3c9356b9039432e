package dev.bootj.common.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

  @TempDir Path dir;

  @Test
  void createsAndReplacesWithoutLeavingTheTemporaryFile() throws IOException {
    Path target = dir.resolve("sub/state.json");
    AtomicFile.write(target, "one");
    assertThat(Files.readString(target)).isEqualTo("one");
    AtomicFile.write(target, "two");
    assertThat(Files.readString(target)).isEqualTo("two");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aLeftoverTemporaryFileFromACrashIsOverwritten() throws IOException {
    Path target = dir.resolve("entry.conf");
    Files.writeString(AtomicFile.temporaryFor(target), "half-written by a killed run, much longer than the new");
    AtomicFile.write(target, "whole");
    assertThat(Files.readString(target)).isEqualTo("whole");
    assertThat(AtomicFile.temporaryFor(target)).doesNotExist();
  }

  @Test
  void aFailedWriteLeavesTheOldContent() throws IOException {
    Path target = dir.resolve("kept");
    AtomicFile.write(target, "old");
    // The temporary name is taken by a directory: the write fails before the rename.
    Files.createDirectory(AtomicFile.temporaryFor(target));
    assertThatThrownBy(() -> AtomicFile.write(target, "new")).isInstanceOf(IOException.class);
    assertThat(Files.readString(target)).isEqualTo("old");
  }
}
