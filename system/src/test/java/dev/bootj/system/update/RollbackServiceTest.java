package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.BootedStatusReader;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rollback without root: a {@link DirectoryMachine} booted from slot A, with slot B staged (its
 * entry newer), failed, or missing. A rollback only renames entries on the ESP, so no filesystem
 * is made here.
 */
class RollbackServiceTest {

  private static final ImageIdentity ONE = new ImageIdentity("os:1", "sha256:" + "11".repeat(32), "1");
  private static final ImageIdentity TWO = new ImageIdentity("os:2", "sha256:" + "22".repeat(32), "2");

  @TempDir Path dir;
  private Path machine;
  private RollbackService service;

  @BeforeEach
  void machineBootedFromSlotA() throws IOException {
    machine = dir.resolve("machine");
    DirectoryMachine.bootedFromSlotA(machine, ONE);
    Path disk = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(300 * DirectoryMachine.MIB);
    }
    service = new RollbackService(DirectoryMachine.access(machine, disk, dir, new CommandRunner()));
  }

  /** Slot B staged as an update leaves it: a newer generation, counting its tries, and its record. */
  private void slotBStaged() throws IOException {
    BootEntry b = BootEntry.forSlot(Slot.B, OsRelease.parse("PRETTY_NAME=Tiny\n"), TWO, DirectoryMachine.KERNEL,
        DirectoryMachine.ROOT_B, List.of(), List.of()).withGeneration(2);
    DirectoryMachine.write(machine, "efi/loader/entries/bootj-b+3.conf", b.text());
    StateFile state = new StateFile(machine.resolve("var"));
    StateRecord record = state.read();
    java.util.Map<String, StateRecord.SlotRecord> slots = new java.util.HashMap<>(record.slots());
    slots.put(Slot.B.id(), new StateRecord.SlotRecord(TWO.reference(), TWO.manifestDigest(), TWO.version(), null,
        "2026-11-26T01:00:00Z", null));
    DirectoryMachine.write(machine, "var/lib/bootj/state.json", new StateRecord(record.formatVersion(), slots).toJson());
  }

  @Test
  void aStagedUpdateIsCancelledAndASecondRollbackBringsItBack() throws Exception {
    slotBStaged();
    assertThat(status().defaultSlot()).isEqualTo(Slot.B);

    RollbackService.Outcome back = service.rollback(null);

    assertThat(back.result()).isEqualTo(new Rollback.Result(Slot.B, Slot.A));
    assertThat(back.image().manifestDigest()).isEqualTo(ONE.manifestDigest());
    assertThat(status().defaultSlot()).isEqualTo(Slot.A);
    assertThat(entries()).as("the entries keep their counters; only A's generation changed")
        .containsExactlyInAnyOrder("bootj-a.conf", "bootj-b+3.conf");
    assertThat(Files.readString(machine.resolve("efi/loader/entries/bootj-a.conf"))).contains("version 3-");

    RollbackService.Outcome again = service.rollback(null);

    assertThat(again.result()).isEqualTo(new Rollback.Result(Slot.A, Slot.B));
    assertThat(again.image().manifestDigest()).isEqualTo(TWO.manifestDigest());
    assertThat(status().defaultSlot()).isEqualTo(Slot.B);
  }

  @Test
  void aSlotThatFailedToBootIsRefusedAndNothingChanges() throws Exception {
    slotBStaged();
    Files.move(machine.resolve("efi/loader/entries/bootj-b+3.conf"), machine.resolve("efi/loader/entries/bootj-b+0-3.conf"));
    // The newer entry's tries are used up, so A boots next: rolling "back" to B is refused.
    assertThat(status().defaultSlot()).isEqualTo(Slot.A);
    String entryA = Files.readString(machine.resolve("efi/loader/entries/bootj-a.conf"));

    assertThatThrownBy(() -> service.rollback(null))
        .isInstanceOf(BootjException.class)
        .hasMessage("slot b failed to boot (its boot counter ran out); nothing to roll back to. Stage a working image"
            + " with 'bootj switch IMAGE'");
    assertThat(Files.readString(machine.resolve("efi/loader/entries/bootj-a.conf"))).isEqualTo(entryA);
    assertThat(entries()).containsExactlyInAnyOrder("bootj-a.conf", "bootj-b+0-3.conf");
  }

  @Test
  void aSlotWithoutAnEntryIsNothingToRollBackTo() throws Exception {
    assertThatThrownBy(() -> service.rollback(null))
        .isInstanceOf(BootjException.class)
        .hasMessageStartingWith("slot b has no boot entry");
    assertThat(entries()).containsExactly("bootj-a.conf");
  }

  private DiskStatus status() throws IOException {
    return new BootedStatusReader(machine).read();
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> entries = Files.list(machine.resolve("efi/loader/entries"))) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
