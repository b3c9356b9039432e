package dev.bootj.system.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing a file on an ESP reached through mtools, as rollback replaces a boot entry: checked with
 * mtools' own mtype and mdir and with fsck.fat, on a FAT32 filesystem made by mkfs.vfat at an
 * offset in an image file, as on a bootj disk. No root needed.
 */
class MtoolsEspTest {

  private static final long OFFSET = 1L << 20;
  private static final long SIZE = 64L << 20;
  private static final String ENTRY = "/loader/entries/bootj-a.conf";

  @TempDir Path dir;
  final CommandRunner commands = new CommandRunner();
  PartitionTarget partition;

  @BeforeEach
  void freshEsp() throws IOException {
    assumeTrue(Tool.MCOPY.locate().isPresent() && Tool.MKFS_VFAT.locate().isPresent(), "needs mtools and dosfstools");
    Path image = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(OFFSET + SIZE + OFFSET);
    }
    partition = new PartitionTarget(image, OFFSET, SIZE);
    MtoolsEsp.format(partition, commands);
  }

  @Test
  void writeAtomicallyReplacesAFileAndLeavesNoTemporaryName() throws Exception {
    MtoolsEsp esp = new MtoolsEsp(partition, commands);
    esp.writeAtomically(ENTRY, "version 1\n");
    esp.writeAtomically(ENTRY, "version 2\n");

    assertThat(mtools("mtype", "::" + ENTRY)).isEqualTo("version 2\n");
    assertThat(mtools("mdir", "-b", "::/loader/entries")).isEqualToIgnoringNewLines("::/loader/entries/bootj-a.conf");
    fsckFat();
  }

  /**
   * A run killed after the new text is written under its temporary name, just before the rename:
   * the file must still be there with its old text. (It used to be deleted first and renamed into
   * its place by a second mtools command: a kill between the two left a slot with no boot entry,
   * and a rollback to it refused ever after.)
   */
  @Test
  void aRunKilledBeforeTheRenameLeavesTheOldFileInPlace() throws Exception {
    new MtoolsEsp(partition, commands).writeAtomically(ENTRY, "version 1\n");
    CommandRunner diesAtTheRename = new CommandRunner() {
      @Override
      public String run(Command command) throws IOException {
        if (command.argv().get(0).endsWith("mren")) {
          throw new IOException("killed");
        }
        return super.run(command);
      }
    };

    assertThatThrownBy(() -> new MtoolsEsp(partition, diesAtTheRename).writeAtomically(ENTRY, "version 2\n"))
        .hasMessage("killed");

    assertThat(mtools("mtype", "::" + ENTRY)).isEqualTo("version 1\n");
    fsckFat();
    // The next write replaces the leftover temporary file too.
    new MtoolsEsp(partition, commands).writeAtomically(ENTRY, "version 3\n");
    assertThat(mtools("mtype", "::" + ENTRY)).isEqualTo("version 3\n");
    assertThat(mtools("mdir", "-b", "::/loader/entries")).isEqualToIgnoringNewLines("::/loader/entries/bootj-a.conf");
  }

  /**
   * At the smallest size bootj accepts, mkfs.vfat makes a true FAT32 volume: fsck.fat, not bootj,
   * counts its clusters (FAT32 needs 65,525 at least); a MiB less than 33 MiB is where mkfs.fat
   * itself warns and fsck.fat counts too few, so the minimum has some room and no more than that.
   */
  @Test
  void theSmallestEspIsAValidFat32Volume() throws Exception {
    assumeTrue(new java.io.File("/sbin/fsck.fat").exists() || new java.io.File("/usr/sbin/fsck.fat").exists(),
        "needs fsck.fat");
    assertThat(MtoolsEsp.MINIMUM_SIZE_BYTES).isEqualTo(34L << 20);
    Path image = dir.resolve("small.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(OFFSET + MtoolsEsp.MINIMUM_SIZE_BYTES + OFFSET);
    }
    MtoolsEsp.format(new PartitionTarget(image, OFFSET, MtoolsEsp.MINIMUM_SIZE_BYTES), commands);
    Path esp = dir.resolve("small-esp.img");
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "dd", "if=" + image, "of=" + esp,
        "bs=1M", "skip=1", "count=" + (MtoolsEsp.MINIMUM_SIZE_BYTES >> 20), "status=none"));
    String report = commands.runForAllOutput(CommandRunner.Command.of(Duration.ofMinutes(1), "fsck.fat", "-n", "-v", esp.toString()));
    java.util.regex.Matcher clusters = java.util.regex.Pattern.compile("(\\d+) data clusters").matcher(report);
    assertThat(clusters.find()).as(report).isTrue();
    assertThat(Long.parseLong(clusters.group(1))).isGreaterThanOrEqualTo(65_525);
    assertThat(report).doesNotContain("less than the required minimum");
  }

  private String mtools(String tool, String... args) throws IOException {
    List<String> argv = new java.util.ArrayList<>(List.of(tool, "-i", partition.mtoolsImage()));
    argv.addAll(List.of(args));
    return commands.run(MtoolsEsp.mtoolsCommand(argv));
  }

  // fsck.fat -n exits non-zero on any inconsistency; it reads the ESP's bytes from a copy of them.
  private void fsckFat() throws IOException {
    Path esp = dir.resolve("esp.img");
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "dd", "if=" + partition.path(), "of=" + esp,
        "bs=1M", "skip=" + OFFSET / (1 << 20), "count=" + SIZE / (1 << 20), "status=none"));
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "fsck.fat", "-n", esp.toString()));
  }
}
