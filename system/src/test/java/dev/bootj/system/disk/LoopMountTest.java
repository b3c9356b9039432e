package dev.bootj.system.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.files.AtomicFile;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounting a partition whose machine lost power: a filesystem with a journal that needs recovery,
 * made without a VM. The partition (at 1 MiB in an image file, as on a bootj disk) is mounted
 * read-write by mount(8) directly, a file is written and fsync'd (so it is committed to the journal
 * but not yet checkpointed to its place), and the image file is copied while still mounted: the copy
 * is what a power cut at that instant leaves. The kernel itself, refusing a plain read-only mount of
 * the copy from a read-only device, and dumpe2fs, showing needs_recovery, say that it is dirty.
 * Needs root (loop devices, mount).
 */
class LoopMountTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final long OFFSET = 1L << 20;
  private static final long EXT4_SIZE = 64L << 20;
  // mkfs.xfs refuses filesystems smaller than 300 MiB; the image file stays sparse.
  private static final long XFS_SIZE = 320L << 20;

  @TempDir Path dir;
  final CommandRunner commands = new CommandRunner();

  @BeforeEach
  void prerequisites() {
    assumeTrue(PosixCalls.isRoot(), "loop devices and mounts need root");
  }

  @Test
  void anExt4JournalLeftByAPowerCutIsReplayedByReadOnlyReplayedAndLeftAloneByReadOnlyAsFound() throws Exception {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent(), "needs e2fsprogs");
    PartitionTarget partition = powerCutCopy("ext4", EXT4_SIZE);
    assertThat(run("dumpe2fs", "-h", partition.e2fsprogsImage())).containsPattern("features:.*needs_recovery");
    assertThat(plainReadOnlyMountFromReadOnlyDevice(partition)).as("the kernel refuses it as it is").isFalse();

    String before = sha256(partition.path());
    try (LoopMount asFound = LoopMount.readOnlyAsFound(commands, partition)) {
      assertThat(asFound.path().resolve("lost+found")).isDirectory();
    }
    assertThat(sha256(partition.path())).as("not one byte written").isEqualTo(before);

    try (LoopMount replayed = LoopMount.readOnlyReplayed(commands, partition)) {
      assertThat(Files.readString(replayed.path().resolve("written-before-the-cut"))).isEqualTo("hello\n");
      assertThat(Files.isWritable(replayed.path().resolve("written-before-the-cut"))).as("mounted read-only").isFalse();
    }
    assertThat(run("dumpe2fs", "-h", partition.e2fsprogsImage())).doesNotContain("needs_recovery");
    run("e2fsck", "-fn", partition.e2fsprogsImage()); // exits non-zero on any inconsistency
  }

  @Test
  void anXfsLogLeftByAPowerCutIsReplayedByReadOnlyReplayedAndLeftAloneByReadOnlyAsFound() throws Exception {
    assumeTrue(Tool.MKFS_XFS.locate().isPresent(), "needs xfsprogs");
    PartitionTarget partition = powerCutCopy("xfs", XFS_SIZE);
    assertThat(plainReadOnlyMountFromReadOnlyDevice(partition)).as("the kernel refuses it as it is").isFalse();

    String before = sha256(partition.path());
    try (LoopMount asFound = LoopMount.readOnlyAsFound(commands, partition)) {
      assertThat(asFound.path()).isDirectory();
    }
    assertThat(sha256(partition.path())).as("not one byte written").isEqualTo(before);

    try (LoopMount replayed = LoopMount.readOnlyReplayed(commands, partition)) {
      assertThat(Files.readString(replayed.path().resolve("written-before-the-cut"))).isEqualTo("hello\n");
    }
    assertThat(plainReadOnlyMountFromReadOnlyDevice(partition)).as("clean after the replay").isTrue();
  }

  @Test
  void readWriteMountsADirtyFilesystemAndSeesWhatTheJournalHeld() throws Exception {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent(), "needs e2fsprogs");
    PartitionTarget partition = powerCutCopy("ext4", EXT4_SIZE);
    try (LoopMount mounted = LoopMount.readWrite(commands, partition)) {
      assertThat(Files.readString(mounted.path().resolve("written-before-the-cut"))).isEqualTo("hello\n");
      Files.writeString(mounted.path().resolve("after"), "x\n");
    }
    assertThat(run("debugfs", "-R", "cat /after", partition.e2fsprogsImage())).isEqualTo("x\n");
  }

  @Test
  void checkpointPutsAnExt4ChangeWhereAReaderThatDoesNotReplayTheJournalFindsItWhileStillMounted() throws Exception {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent(), "needs e2fsprogs");
    PartitionTarget partition = newFilesystem("ext4", EXT4_SIZE);
    try (LoopMount mounted = LoopMount.readWrite(commands, partition)) {
      AtomicFile.write(mounted.path().resolve("state.json"), "new\n");
      // debugfs reads the filesystem as it is in the file, journal aside: what status --disk sees.
      assertThat(run("debugfs", "-R", "cat /state.json", partition.e2fsprogsImage())).as("in the journal only")
          .isEmpty();
      mounted.checkpoint();
      assertThat(run("debugfs", "-R", "cat /state.json", partition.e2fsprogsImage())).isEqualTo("new\n");
      Files.writeString(mounted.path().resolve("after"), "still read-write\n");
    }
    run("e2fsck", "-fn", partition.e2fsprogsImage());
  }

  @Test
  void checkpointPutsAnXfsChangeWhereANorecoveryMountFindsItWhileStillMounted() throws Exception {
    assumeTrue(Tool.MKFS_XFS.locate().isPresent(), "needs xfsprogs");
    PartitionTarget partition = newFilesystem("xfs", XFS_SIZE);
    try (LoopMount mounted = LoopMount.readWrite(commands, partition)) {
      AtomicFile.write(mounted.path().resolve("state.json"), "new\n");
      assertThat(readWithoutLogRecovery(partition, "state.json")).as("in the log only").isNull();
      mounted.checkpoint();
      assertThat(readWithoutLogRecovery(partition, "state.json")).isEqualTo("new\n");
      Files.writeString(mounted.path().resolve("after"), "still read-write\n");
    }
  }

  @Test
  void readOnlyAsFoundReadsAnXfsFilesystemThatIsMountedAlready() throws Exception {
    assumeTrue(Tool.MKFS_XFS.locate().isPresent(), "needs xfsprogs");
    PartitionTarget partition = newFilesystem("xfs", XFS_SIZE);
    // What a killed bootj leaves: the filesystem mounted read-write through another loop device.
    try (LoopMount left = LoopMount.readWrite(commands, partition)) {
      AtomicFile.write(left.path().resolve("state.json"), "new\n");
      left.checkpoint();
      try (LoopMount asFound = LoopMount.readOnlyAsFound(commands, partition)) {
        assertThat(Files.readString(asFound.path().resolve("state.json"))).isEqualTo("new\n");
      }
    }
  }

  @Test
  void checkpointOfAReadOnlyMountChangesNothing() throws Exception {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent(), "needs e2fsprogs");
    PartitionTarget partition = newFilesystem("ext4", EXT4_SIZE);
    String before = sha256(partition.path());
    try (LoopMount mounted = LoopMount.readOnlyAsFound(commands, partition)) {
      mounted.checkpoint();
    }
    assertThat(sha256(partition.path())).isEqualTo(before);
  }

  // A new, empty filesystem of `type` at OFFSET in a new image file.
  private PartitionTarget newFilesystem(String type, long size) throws Exception {
    Path image = dir.resolve("new-" + type + ".img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(OFFSET + size + OFFSET);
    }
    String loop = run("losetup", "--find", "--show", "--offset", String.valueOf(OFFSET), "--sizelimit",
        String.valueOf(size), image.toString()).strip();
    try {
      run("mkfs." + type, "-q", loop);
    } finally {
      run("losetup", "--detach", loop);
    }
    return new PartitionTarget(image, OFFSET, size);
  }

  // `name` as the kernel finds it in an xfs filesystem without replaying its log (norecovery), from a
  // second, read-only mount beside one that is still there (nouuid); null when it is not there.
  private String readWithoutLogRecovery(PartitionTarget partition, String name) throws Exception {
    String loop = run("losetup", "--find", "--show", "--read-only", "--offset",
        String.valueOf(partition.offsetBytes()), "--sizelimit", String.valueOf(partition.sizeBytes()),
        partition.path().toString()).strip();
    Path mountPoint = Files.createTempDirectory(dir, "norecovery-");
    try {
      run("mount", "-o", "ro,norecovery,nouuid", loop, mountPoint.toString());
      try {
        Path file = mountPoint.resolve(name);
        return Files.isRegularFile(file) ? Files.readString(file) : null;
      } finally {
        run("umount", mountPoint.toString());
      }
    } finally {
      run("losetup", "--detach", loop);
    }
  }

  // A filesystem of `type` at OFFSET in a new image file, with a file fsync'd into it, copied while
  // mounted read-write: the copy, as a power cut leaves it.
  private PartitionTarget powerCutCopy(String type, long size) throws Exception {
    Path live = dir.resolve("live.img");
    try (RandomAccessFile file = new RandomAccessFile(live.toFile(), "rw")) {
      file.setLength(OFFSET + size + OFFSET);
    }
    String loop = run("losetup", "--find", "--show", "--offset", String.valueOf(OFFSET), "--sizelimit",
        String.valueOf(size), live.toString()).strip();
    Path mountPoint = Files.createDirectory(dir.resolve("live"));
    Path copy = dir.resolve("power-cut.img");
    try {
      run("mkfs." + type, "-q", loop);
      run("mount", loop, mountPoint.toString());
      try {
        Path file = Files.writeString(mountPoint.resolve("written-before-the-cut"), "hello\n");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        Files.copy(live, copy, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        run("umount", mountPoint.toString());
      }
    } finally {
      run("losetup", "--detach", loop);
    }
    return new PartitionTarget(copy, OFFSET, size);
  }

  // What bootj did before: mount -o ro over a read-only loop device.
  private boolean plainReadOnlyMountFromReadOnlyDevice(PartitionTarget partition) throws Exception {
    String loop = run("losetup", "--find", "--show", "--read-only", "--offset",
        String.valueOf(partition.offsetBytes()), "--sizelimit", String.valueOf(partition.sizeBytes()),
        partition.path().toString()).strip();
    Path mountPoint = Files.createTempDirectory(dir, "plain-");
    try {
      run("mount", "-o", "ro", loop, mountPoint.toString());
      run("umount", mountPoint.toString());
      return true;
    } catch (IOException refused) {
      return false;
    } finally {
      run("losetup", "--detach", loop);
    }
  }

  private String run(String... argv) throws IOException {
    return commands.run(CommandRunner.Command.of(TIMEOUT, argv));
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
