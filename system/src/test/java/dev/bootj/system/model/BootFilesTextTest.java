package dev.bootj.system.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.common.ByteSize;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The text bootj writes for systemd-boot and into the state partition: boot entries, state.json; sizes shown. */
class BootFilesTextTest {

  private static final UUID A = UUID.fromString("11111111-2222-3333-4444-555555555555");
  private static final ImageIdentity IMAGE =
      new ImageIdentity("registry.example/os:1", "sha256:0123456789abcdef0123", "1");

  @Test
  void bootEntryPutsRootThenImageKargsThenUserKargs() {
    OsRelease os = OsRelease.parse("NAME=Debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
    BootEntry entry = BootEntry.forSlot(Slot.A, os, IMAGE, "6.1.0-50-amd64", A,
        List.of("console=ttyS0"), List.of("quiet"));
    assertThat(entry.text()).isEqualTo("""
        title Debian GNU/Linux 12 (bookworm) (0123456789ab, slot a)
        version 1-6.1.0-50-amd64
        sort-key bootj
        linux /bootj/a/vmlinuz
        initrd /bootj/a/initrd
        options root=PARTUUID=11111111-2222-3333-4444-555555555555 rw console=ttyS0 quiet
        """);
    assertThat(BootEntry.fileName(Slot.B)).isEqualTo("bootj-b.conf");
    assertThat(entry.fileName()).isEqualTo("bootj-a.conf");
    assertThat(entry.withCounter(dev.bootj.system.model.BootCounter.fresh(3)).fileName()).isEqualTo("bootj-a+3.conf");
  }

  @Test
  void stateRecordRoundTrips() throws Exception {
    StateRecord record = StateRecord.firstInstall(Slot.A, IMAGE, "6.1", java.time.Instant.parse("2026-11-25T19:00:00Z"));
    String json = record.toJson();
    assertThat(json).contains("\"installedAt\" : \"2026-11-25T19:00:00Z\"", "\"a\"");
    StateRecord back = StateRecord.fromJson(json);
    assertThat(back.slot(Slot.A)).isEqualTo(record.slot(Slot.A));
    assertThat(back.slot(Slot.B)).isNull();
  }

  @Test
  void sizesReadInBinaryUnits() {
    assertThat(ByteSize.format(512)).isEqualTo("512 B");
    assertThat(ByteSize.format(512L << 20)).isEqualTo("512 MiB");
    assertThat(ByteSize.format(1536L << 20)).isEqualTo("1.5 GiB");
  }
}
