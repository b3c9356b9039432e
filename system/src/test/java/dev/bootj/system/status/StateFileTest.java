package dev.bootj.system.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  @TempDir Path state;

  @Test
  void writingOneSlotKeepsTheOtherAndLeavesNoTemporaryFile() throws Exception {
    Path file = state.resolve("lib/bootj/state.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, StateRecord.firstInstall(Slot.A, new ImageIdentity("os:1", "sha256:aa", "1"), "6.1",
        Instant.EPOCH).toJson());
    StateFile stateFile = new StateFile(state);
    stateFile.writeSlot(Slot.B, new StateRecord.SlotRecord("os:2", "sha256:bb", "2", "6.2", "2026-11-26T00:00:00Z", null));
    StateRecord read = stateFile.read();
    assertThat(read.slot(Slot.A).imageReference()).isEqualTo("os:1");
    assertThat(read.slot(Slot.B).manifestDigest()).isEqualTo("sha256:bb");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
  }
}
