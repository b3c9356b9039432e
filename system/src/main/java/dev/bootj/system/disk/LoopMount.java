package dev.bootj.system.disk;

import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One partition of a disk that is not running, mounted on a temporary directory (through a {@link
 * LoopDevice} when the disk is an image file), and the cleanup of such mounts left by a killed run.
 *
 * <p>A disk whose machine lost power is a normal input: its filesystems carry a journal that needs
 * recovery. Each way to mount says what it does with it: {@link #readWrite} and {@link
 * #readOnlyReplayed} let the kernel replay it, {@link #readOnlyAsFound} leaves it alone.
 */
public final class LoopMount implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String MOUNT_PREFIX = "bootj-mount-";

  private static final String READ_WRITE = "rw";

  private final CommandRunner commands;
  private final Path mountPoint;
  private final LoopDevice device;
  private final boolean writable;
  /** Unmounts and detaches if a termination signal leaves no time to unwind. */
  private final TerminationSignals.Registration lastResort;
  private boolean closed;

  private LoopMount(CommandRunner commands, Path mountPoint, LoopDevice device, boolean writable) {
    this.commands = commands;
    this.mountPoint = mountPoint;
    this.device = device;
    this.writable = writable;
    this.lastResort = TerminationSignals.whileRunning(() -> {
      try {
        commands.run(CommandRunner.Command.of(TIMEOUT, Tool.UMOUNT.program(), "--lazy", mountPoint.toString()));
        device.close();
      } catch (IOException | RuntimeException e) {
        // The next run releases stale loop devices of the same image file (releaseStale).
      }
    });
  }

  /**
   * Mounted read-write. A journal left by a power cut (ext4's, xfs's log) is replayed by the kernel
   * on the way, as the next boot would do.
   */
  public static LoopMount readWrite(CommandRunner commands, PartitionTarget partition) throws IOException {
    return mount(commands, partition, READ_WRITE, false);
  }

  /**
   * Mounted read-only after the kernel replays a journal left by a power cut: the device stays
   * writable so that the kernel can (ext4 and xfs replay on a read-only mount of a writable device,
   * and refuse the mount on a read-only one), and the read-only mount writes nothing else. This is
   * the view the next boot gets, including changes of the last seconds before the cut that so far
   * sit only in the journal.
   */
  public static LoopMount readOnlyReplayed(CommandRunner commands, PartitionTarget partition) throws IOException {
    return mount(commands, partition, "ro", false);
  }

  /**
   * Mounted read-only from a read-only device without loading the journal ("norecovery": xfs's
   * option, and ext4's other name for "noload"), so not one byte changes even on a disk whose
   * machine lost power. The price: on such a disk, changes that sit only in the journal are not
   * seen; this view may be a few seconds older than the one the next boot gets.
   */
  public static LoopMount readOnlyAsFound(CommandRunner commands, PartitionTarget partition) throws IOException {
    // xfs refuses a second mount of a filesystem whose UUID is mounted already, as it is while a
    // killed bootj's mount is left behind; a view that never writes a byte may share it ("nouuid").
    String options = FilesystemProbe.of(partition) == FilesystemType.XFS ? "ro,norecovery,nouuid" : "ro,norecovery";
    return mount(commands, partition, options, true);
  }

  private static LoopMount mount(CommandRunner commands, PartitionTarget partition, String options,
      boolean readOnlyDevice) throws IOException {
    LoopDevice device = LoopDevice.over(commands, partition, readOnlyDevice);
    Path mountPoint;
    try {
      mountPoint = Files.createTempDirectory(MOUNT_PREFIX);
    } catch (IOException e) {
      device.close();
      throw e;
    }
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.MOUNT.program(), "-o", options,
          device.device().toString(), mountPoint.toString()));
    } catch (IOException e) {
      Files.deleteIfExists(mountPoint);
      device.close();
      throw e;
    }
    return new LoopMount(commands, mountPoint, device, options.equals(READ_WRITE));
  }

  /**
   * Undoes what a killed bootj left of its mounts of {@code imageFile}: loop devices over it that
   * are mounted on bootj's temporary mount points (or not at all) are unmounted and detached. The
   * caller holds the disk's update lock, so no running bootj uses them. A loop device mounted
   * anywhere else means someone is using the disk: refused.
   */
  public static void releaseStale(CommandRunner commands, Path imageFile) throws IOException {
    String attached = commands.run(CommandRunner.Command.of(TIMEOUT, Tool.LOSETUP.program(), "--associated",
        imageFile.toString()));
    List<String[]> mounts = mountTable();
    for (String line : attached.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String loop = line.substring(0, colon).strip();
      for (String[] mount : mounts) {
        if (!mount[0].equals(loop)) {
          continue;
        }
        if (!Path.of(mount[1]).getFileName().toString().startsWith(MOUNT_PREFIX)) {
          throw new dev.bootj.common.BootjException(dev.bootj.common.BootjException.Kind.SYSTEM, imageFile
              + " is in use: " + loop + " is mounted on " + mount[1] + "; unmount it first");
        }
        commands.run(CommandRunner.Command.of(TIMEOUT, Tool.UMOUNT.program(), mount[1]));
        Files.deleteIfExists(Path.of(mount[1]));
      }
      LoopDevice.detach(commands, loop);
    }
  }

  // Source and mount point of every mount, from /proc/self/mounts (octal escapes undone).
  private static List<String[]> mountTable() throws IOException {
    List<String[]> mounts = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length >= 2) {
        mounts.add(new String[] {unescape(fields[0]), unescape(fields[1])});
      }
    }
    return mounts;
  }

  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  public Path path() {
    return mountPoint;
  }

  /**
   * Writes what a read-write mount's journal holds to its place in the filesystem, by a remount
   * read-only and back (the kernel checkpoints the ext4 journal, and writes back and covers the xfs
   * log, on the way to read-only). An fsync only puts a change in the journal: until it is
   * checkpointed, a reader that does not replay the journal (status --disk: debugfs, a norecovery
   * mount) still sees the old file, and so it does for as long as a killed bootj leaves this mount
   * behind, or after a power cut. Nothing happens on a read-only mount.
   */
  public void checkpoint() throws IOException {
    if (!writable) {
      return;
    }
    commands.run(CommandRunner.Command.of(TIMEOUT, Tool.MOUNT.program(), "-o", "remount,ro", mountPoint.toString()));
    commands.run(CommandRunner.Command.of(TIMEOUT, Tool.MOUNT.program(), "-o", "remount,rw", mountPoint.toString()));
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    lastResort.close();
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.UMOUNT.program(), mountPoint.toString()));
      Files.deleteIfExists(mountPoint);
    } finally {
      device.close();
    }
  }
}
