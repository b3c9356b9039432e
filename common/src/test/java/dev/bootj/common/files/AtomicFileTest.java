package dev.bootj.common.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  @Test
  void concurrentUnlockedWritersEachReplaceTheWholeFile() throws Exception {
    Path target = dir.resolve("images/record.json");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String content = ("writer " + i + " ").repeat(1000);
        writes.add(pool.submit(() -> {
          AtomicFile.writeUnlocked(target, content.getBytes(StandardCharsets.UTF_8));
          return null;
        }));
      }
      for (Future<?> write : writes) {
        write.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    String last = Files.readString(target);
    String writer = last.substring(0, last.indexOf(' ', "writer ".length()) + 1);
    assertThat(last).isEqualTo(writer.repeat(1000));
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }
}
