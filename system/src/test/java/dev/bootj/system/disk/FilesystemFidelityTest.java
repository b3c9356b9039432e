package dev.bootj.system.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.testing.TreeSnapshot;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a tree with everything an unpacked image can hold into a partition in the middle of an
 * image file, mounts that range read-only through a loop device and compares the two trees
 * field by field. Needs root (owners, device nodes, security.* xattrs, loop, mount).
 */
class FilesystemFidelityTest {

  private static final long OFFSET = 1L << 20;
  private static final long SIZE = 400L << 20;

  @TempDir Path dir;
  Path tree;
  final CommandRunner commands = new CommandRunner();

  @BeforeEach
  void richTree() throws IOException {
    assumeTrue(PosixCalls.effectiveUid() == 0, "needs root");
    tree = Files.createDirectories(dir.resolve("tree"));
    Path usr = Files.createDirectories(tree.resolve("usr/bin"));
    Path ping = Files.writeString(usr.resolve("ping"), "elf");
    PosixCalls.chmod(ping, 0755);
    // cap_net_raw+ep, as Debian's iputils-ping ships it.
    PosixCalls.setXattr(ping, "security.capability",
        new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    Path su = Files.writeString(usr.resolve("su"), "setuid");
    PosixCalls.chmod(su, 04755);
    Path owned = Files.writeString(tree.resolve("usr/owned"), "data");
    PosixCalls.lchown(owned, 1234, 567);
    PosixCalls.setXattr(owned, "user.note", "hello".getBytes(StandardCharsets.UTF_8));
    PosixCalls.setXattr(owned, "trusted.overlay.x", new byte[] {0, 1, 2});
    Files.createLink(tree.resolve("usr/bin/hardlink"), owned);
    Path dev = Files.createDirectories(tree.resolve("dev"));
    PosixCalls.mknod(dev.resolve("null"), PosixCalls.S_IFCHR, 0666, 1, 3);
    PosixCalls.mknod(dev.resolve("sda1"), PosixCalls.S_IFBLK, 0660, 8, 1);
    PosixCalls.mknod(dev.resolve("fifo"), PosixCalls.S_IFIFO, 0600, 0, 0);
    PosixCalls.symlink("../usr/owned", tree.resolve("dev/link"));
    PosixCalls.symlink("/" + "x".repeat(200), tree.resolve("dev/longlink"));
    Path sticky = Files.createDirectories(tree.resolve("tmp"));
    PosixCalls.chmod(sticky, 01777);
    Files.write(tree.resolve("usr/big"), new byte[3 << 20]);
    // Whole seconds: ext4's -d keeps only those (see subSecondMtimesAreTruncatedByExt4).
    try (var paths = Files.walk(tree)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        PosixCalls.setTimes(p, 1_600_000_000L, 0);
      }
    }
  }

  @Test
  void ext4KeepsEverything() throws IOException {
    Path image = image();
    new FilesystemWriter(commands).write(FilesystemType.EXT4, new PartitionTarget(image, OFFSET, SIZE), "t",
        UUID.randomUUID(), tree);
    assertThat(mountedSnapshot(image, "ext4").diff(TreeSnapshot.capture(tree))).isEmpty();
  }

  @Test
  void xfsKeepsEverything() throws IOException {
    assumeTrue(Tool.MKFS_XFS.locate().isPresent(), "xfsprogs not installed");
    Path image = image();
    new FilesystemWriter(commands).write(FilesystemType.XFS, new PartitionTarget(image, OFFSET, SIZE), "t",
        UUID.randomUUID(), tree);
    assertThat(mountedSnapshot(image, "xfs").diff(TreeSnapshot.capture(tree))).isEmpty();
    assertThat(commands.run(CommandRunner.Command.of(Duration.ofSeconds(10), "losetup", "-j", image.toString())))
        .as("loop device detached").isEmpty();
  }

  @Test
  void subSecondMtimesAreTruncatedByExt4() throws IOException {
    PosixCalls.setTimes(tree.resolve("usr/owned"), 1_600_000_000L, 123_456_789);
    Path image = image();
    new FilesystemWriter(commands).write(FilesystemType.EXT4, new PartitionTarget(image, OFFSET, SIZE), "t",
        UUID.randomUUID(), tree);
    List<String> diff = mountedSnapshot(image, "ext4").diff(TreeSnapshot.capture(tree));
    assertThat(diff).allMatch(line -> line.contains("mtime")).isNotEmpty();
  }

  private Path image() throws IOException {
    Path image = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(OFFSET + SIZE + (1L << 20));
    }
    return image;
  }

  private TreeSnapshot mountedSnapshot(Path image, String type) throws IOException {
    Path mnt = Files.createDirectories(dir.resolve("mnt"));
    String loop = commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), "losetup", "--find", "--show",
        "--read-only", "--offset", String.valueOf(OFFSET), "--sizelimit", String.valueOf(SIZE), image.toString())).strip();
    try {
      commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), "mount", "-t", type, "-o", "ro", loop, mnt.toString()));
      try {
        TreeSnapshot snapshot = TreeSnapshot.capture(mnt);
        snapshot.nodes().keySet().removeIf(p -> p.equals("lost+found") || p.startsWith("lost+found/"));
        return snapshot;
      } finally {
        commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), "umount", mnt.toString()));
      }
    } finally {
      commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), "losetup", "--detach", loop));
    }
  }
}
