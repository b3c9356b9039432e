package dev.bootj.system.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mkfs.ext4 command bootj runs, and what it makes with this host's e2fsprogs (no root needed). */
class FilesystemWriterTest {

  private static final long OFFSET = 1L << 20;
  private static final long SIZE = 64L << 20;

  @TempDir Path dir;
  final CommandRunner commands = new CommandRunner();

  @Test
  void orphanFileIsTurnedOffOnlyWhenAsked() {
    PartitionTarget target = new PartitionTarget(Path.of("/disk.img"), OFFSET, SIZE);
    UUID uuid = UUID.randomUUID();
    List<String> off = FilesystemWriter.ext4Arguments(target, "root-a", uuid, Path.of("/tree"), true);
    assertThat(String.join(" ", off)).isEqualTo("mkfs.ext4 -q -F -L root-a -U " + uuid
        + " -O ^orphan_file -E offset=1048576 -d /tree /disk.img 65536k");
    assertThat(FilesystemWriter.ext4Arguments(target, "root-a", uuid, Path.of("/tree"), false))
        .doesNotContain("-O", "^orphan_file");
  }

  /**
   * With e2fsprogs 1.47 or later, a filesystem bootj makes has no orphan_file even where the
   * host's mke2fs.conf turns it on, while the same mkfs.ext4 asked for it does make it (so the
   * check below would see it).
   */
  @Test
  void ext4MadeWithAnOrphanFileAwareMke2fsHasNone() throws IOException {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent() && Tool.DEBUGFS.locate().isPresent(), "needs e2fsprogs");
    Mke2fs host = Mke2fs.ask(commands).orElseThrow();
    assumeTrue(host.knowsOrphanFile(), "this host's e2fsprogs " + host.version() + " predates orphan_file");
    Path tree = Files.createDirectories(dir.resolve("tree/etc"));
    Files.writeString(tree.resolve("hostname"), "x\n");
    Path image = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(OFFSET + SIZE + OFFSET);
    }
    PartitionTarget target = new PartitionTarget(image, OFFSET, SIZE);

    new FilesystemWriter(commands).write(FilesystemType.EXT4, target, "t", UUID.randomUUID(), dir.resolve("tree"));
    assertThat(features(target)).contains("extent").doesNotContain("orphan_file");
    assertThat(debugfs(target, "cat /etc/hostname")).isEqualTo("x\n");

    commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "mkfs.ext4", "-q", "-F", "-O", "orphan_file",
        "-E", "offset=" + OFFSET, image.toString(), SIZE / 1024 + "k"));
    assertThat(features(target)).contains("orphan_file");
  }

  private String features(PartitionTarget target) throws IOException {
    return debugfs(target, "features");
  }

  private String debugfs(PartitionTarget target, String request) throws IOException {
    return commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "debugfs", "-R", request,
        target.e2fsprogsImage()));
  }
}
