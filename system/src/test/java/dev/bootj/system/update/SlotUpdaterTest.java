package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.system.etc.EtcMergeConflict;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.slot.VarRecreationUnit;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging steps against real files and the real mkfs.ext4, without root: the "machine" is a
 * directory tree (current root, /var, mounted ESP) and slot B is a range of an image file.
 */
class SlotUpdaterTest {

  private static final String KERNEL = DirectoryMachine.KERNEL;
  private static final UUID ROOT_A = DirectoryMachine.ROOT_A;
  private static final UUID ROOT_B = DirectoryMachine.ROOT_B;
  private static final long MIB = DirectoryMachine.MIB;
  private static final long SLOT_B = DirectoryMachine.SLOT_B;

  @TempDir Path dir;
  private Path current;
  private Path state;
  private Path esp;
  private Path staged;
  private Path diskFile;
  private Path slotFile;
  private final CommandRunner commands = new CommandRunner();

  @BeforeEach
  void machineOnSlotA() throws IOException {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent() && Tool.DEBUGFS.locate().isPresent(), "e2fsprogs needed");
    // The machine's "/": the current slot's files, its /var and its mounted ESP below it.
    current = dir.resolve("machine");
    write(current, "usr/etc/hostname", "tiny\n");
    write(current, "usr/etc/motd", "hello 1\n");
    write(current, "etc/hostname", "edited\n");
    write(current, "etc/motd", "hello 1\n");
    write(current, "etc/fstab", "PARTUUID=" + ROOT_A + " / ext4 rw 0 1\n/dev/sdz1 /data ext4 defaults 0 2\n");
    write(current, "usr/etc/fstab", "# UNCONFIGURED FSTAB\n");
    write(current, "usr/lib/bootj/kargs.d/10.toml", "kargs = [\"console=ttyS0\", \"v=1\"]\n");
    state = current.resolve("var");
    write(state, "lib/bootj/state.json", StateRecord.firstInstall(Slot.A,
        new ImageIdentity("os:1", "sha256:" + "11".repeat(32), "1"), KERNEL, Instant.EPOCH).toJson());
    write(state, "lib/user-data", "keep\n");
    esp = current.resolve("efi");
    BootEntry a = BootEntry.forSlot(Slot.A, OsRelease.parse("PRETTY_NAME=Tiny\n"), new ImageIdentity("os:1",
        "sha256:" + "11".repeat(32), "1"), KERNEL, ROOT_A, List.of("console=ttyS0", "v=1"), List.of("quiet"));
    write(esp, "loader/entries/" + a.fileName(), a.text());
    write(esp, "loader/entries/bootj-b+0-3.conf", "title old b\nversion 1-" + KERNEL + "\n");

    staged = dir.resolve("staged/root");
    write(staged, "boot/vmlinuz-" + KERNEL, "kernel 2");
    write(staged, "boot/initrd.img-" + KERNEL, "initrd 2");
    write(staged, "usr/lib/os-release", "PRETTY_NAME=\"Tiny 2\"\n");
    write(staged, "usr/lib/bootj/kargs.d/10.toml", "kargs = [\"console=ttyS0\", \"v=2\"]\n");
    write(staged, "etc/hostname", "tiny\n");
    write(staged, "etc/motd", "hello 2\n");
    write(staged, "etc/fstab", "# UNCONFIGURED FSTAB\n");
    write(staged, "var/lib/from-image", "not applied on update\n");

    diskFile = DirectoryMachine.createDisk(dir.resolve("disk.img"), commands);
    slotFile = diskFile;
  }

  private static void write(Path root, String path, String text) throws IOException {
    DirectoryMachine.write(root, path, text);
  }

  private DirectoryMachine machine() throws IOException {
    return new DirectoryMachine(current, diskFile, slotFile, commands);
  }

  private UpdateResult stage() throws IOException {
    return new SlotUpdater(commands, Clock.fixed(Instant.parse("2026-11-26T01:00:00Z"), ZoneOffset.UTC))
        .stage(machine(), new UpdateRequest(staged, new ImageIdentity("os:2", "sha256:" + "22".repeat(32),
            "2")), line -> { });
  }

  @Test
  void stagesSlotBAndWritesItsCountedEntryLast() throws Exception {
    UpdateResult result = stage();

    assertThat(result.slot()).isEqualTo(Slot.B);
    assertThat(result.entry().fileName()).isEqualTo("bootj-b+3.conf");
    try (var entries = Files.list(esp.resolve("loader/entries"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bootj-a.conf", "bootj-b+3.conf");
    }
    String entry = Files.readString(esp.resolve("loader/entries/bootj-b+3.conf"));
    assertThat(entry).contains("version 2-" + KERNEL + "\n")
        .contains("options root=PARTUUID=" + ROOT_B + " rw console=ttyS0 v=2 quiet\n");
    assertThat(Files.readString(esp.resolve("bootj/b/vmlinuz"))).isEqualTo("kernel 2");
    assertThat(Files.readString(esp.resolve("bootj/b/initrd"))).isEqualTo("initrd 2");
    StateRecord record = new StateFile(state).read();
    assertThat(record.slot(Slot.B).manifestDigest()).isEqualTo("sha256:" + "22".repeat(32));
    assertThat(record.slot(Slot.B).installedAt()).isEqualTo("2026-11-26T01:00:00Z");
    assertThat(record.slot(Slot.A).imageReference()).isEqualTo("os:1");
    assertThat(Files.readString(state.resolve("lib/user-data"))).isEqualTo("keep\n");

    String slot = diskFile + "?offset=" + SLOT_B;
    assertThat(debugfs(slot, "cat /etc/hostname")).isEqualTo("edited\n");
    assertThat(debugfs(slot, "cat /etc/motd")).isEqualTo("hello 2\n");
    assertThat(debugfs(slot, "cat /usr/etc/motd")).isEqualTo("hello 2\n");
    assertThat(debugfs(slot, "cat /etc/fstab"))
        .isEqualTo("PARTUUID=" + ROOT_B + " / ext4 rw 0 1\n/dev/sdz1 /data ext4 defaults 0 2\n");
    assertThat(debugfs(slot, "ls /var")).doesNotContain("lib");
    assertThat(debugfs(slot, "cat /usr/lib/systemd/system/bootj-readonly-usr.service")).contains("ro");
  }

  @Test
  void aFactoryResetTakesTheImagesEtcAsShippedWithAnEmptyMachineId() throws Exception {
    write(current, "etc/it-added-by-user", "mine\n");
    write(current, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    write(staged, "etc/machine-id", "fedcba9876543210fedcba9876543210\n");
    // Would conflict with the machine's /etc/it-added-by-user file in a merge: a reset does not merge.
    write(staged, "etc/it-added-by-user/inside", "image\n");

    UpdateResult result = new SlotUpdater(commands, Clock.systemUTC()).stage(machine(),
        new UpdateRequest(staged, new ImageIdentity("os:1", "sha256:" + "11".repeat(32), "1"), true), line -> { });

    assertThat(result.keptLocalChanges()).isZero();
    String slot = diskFile + "?offset=" + SLOT_B;
    assertThat(debugfs(slot, "cat /etc/hostname")).isEqualTo("tiny\n");
    assertThat(debugfs(slot, "cat /etc/it-added-by-user/inside")).isEqualTo("image\n");
    assertThat(debugfs(slot, "cat /etc/machine-id")).isEmpty();
    assertThat(debugfs(slot, "stat /etc/machine-id")).contains("Type: regular").contains("Size: 0");
    assertThat(debugfs(slot, "cat /usr/etc/machine-id")).isEqualTo("fedcba9876543210fedcba9876543210\n");
    assertThat(debugfs(slot, "cat /etc/fstab")).startsWith("# Written by bootj").contains("PARTUUID=" + ROOT_B + " / ");
    assertThat(Files.readString(current.resolve("etc/hostname"))).as("the current slot is only read").isEqualTo("edited\n");
    assertThat(new StateFile(state).read().slot(Slot.B).manifestDigest()).isEqualTo("sha256:" + "11".repeat(32));
  }

  @Test
  void aResetThatWipesVarCarriesTheImagesVarAndTheUnitThatRecreatesIt() throws Exception {
    VarRecreationUnit.install(staged, new Partition(PartitionRole.STATE, 0, MIB,
        UUID.fromString("cccccccc-0000-4000-8000-000000000004")), dev.bootj.system.model.FilesystemType.EXT4);

    new SlotUpdater(commands, Clock.systemUTC()).stage(machine(),
        new UpdateRequest(staged, new ImageIdentity("os:1", "sha256:" + "11".repeat(32), "1"), true), line -> { });

    String slot = diskFile + "?offset=" + SLOT_B;
    assertThat(debugfs(slot, "cat /.bootj-reset/var/lib/from-image")).isEqualTo("not applied on update\n");
    assertThat(debugfs(slot, "ls /var")).doesNotContain("lib");
    assertThat(debugfs(slot, "cat /.bootj-reset/recreate-var"))
        .contains("device=/dev/disk/by-partuuid/cccccccc-0000-4000-8000-000000000004").contains("mkfs.ext4");
    assertThat(debugfs(slot, "cat /usr/lib/systemd/system/bootj-reset-var.service")).contains("Before=var.mount");
    assertThat(debugfs(slot, "stat /usr/lib/systemd/system/var.mount.requires/bootj-reset-var.service"))
        .contains("Type: symlink").contains("../bootj-reset-var.service");
    assertThat(Files.readString(state.resolve("lib/user-data"))).as("/var goes at the next boot, not now").isEqualTo("keep\n");
  }

  @Test
  void aConflictRefusesBeforeAnythingIsWritten() throws Exception {
    write(current, "etc/motd.d", "a file where the new image has a directory\n");
    write(staged, "etc/motd.d/10-news", "news\n");
    String entriesBefore = listing(esp);
    String stateBefore = Files.readString(state.resolve("lib/bootj/state.json"));

    assertThatThrownBy(this::stage).isInstanceOf(EtcMergeConflict.class).hasMessageContaining("/etc/motd.d");
    assertThat(listing(esp)).isEqualTo(entriesBefore);
    assertThat(Files.readString(state.resolve("lib/bootj/state.json"))).isEqualTo(stateBefore);
    assertThat(Files.size(diskFile)).isEqualTo(300 * MIB);
    assertThat(debugfsFails(diskFile + "?offset=" + SLOT_B)).isTrue();
  }

  @Test
  void anImageWithoutAKernelIsRefusedBeforeAnythingIsWritten() throws Exception {
    Files.delete(staged.resolve("boot/vmlinuz-" + KERNEL));
    String entriesBefore = listing(esp);
    assertThatThrownBy(this::stage).hasMessageContaining("nothing was changed");
    assertThat(listing(esp)).isEqualTo(entriesBefore);
  }

  @Test
  void aFailureWhileWritingTheSlotLeavesOnlyTheCurrentSlotBootable() throws Exception {
    // mkfs cannot open the slot: the failure comes after the old slot B entry was removed.
    slotFile = dir.resolve("gone/disk.img");
    String entryA = Files.readString(esp.resolve("loader/entries/bootj-a.conf"));
    assertThatThrownBy(this::stage).isInstanceOf(IOException.class);
    assertThat(listing(esp)).isEqualTo("bootj-a.conf");
    assertThat(Files.readString(esp.resolve("loader/entries/bootj-a.conf"))).isEqualTo(entryA);
    assertThat(new StateFile(state).read().slot(Slot.B)).isNull();
  }

  private static String listing(Path esp) throws IOException {
    try (var entries = Files.list(esp.resolve("loader/entries"))) {
      return String.join(",", entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private String debugfs(String image, String request) throws IOException {
    return commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "debugfs", "-R", request, image));
  }

  private boolean debugfsFails(String image) {
    try {
      commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "debugfs", "-R", "ls /", image));
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
