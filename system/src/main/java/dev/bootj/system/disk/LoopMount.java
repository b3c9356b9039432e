package dev.bootj.system.disk;

import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One partition of a disk that is not running, mounted on a temporary directory (through a {@link
 * LoopDevice} when the disk is an image file), and the cleanup of such mounts left by a killed run.
 */
public final class LoopMount implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String MOUNT_PREFIX = "bootj-mount-";

  private final CommandRunner commands;
  private final Path mountPoint;
  private final LoopDevice device;
  /** Unmounts and detaches if a termination signal leaves no time to unwind. */
  private final TerminationSignals.Registration lastResort;

  private LoopMount(CommandRunner commands, Path mountPoint, LoopDevice device) {
    this.commands = commands;
    this.mountPoint = mountPoint;
    this.device = device;
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
   * Mounts {@code partition} with mount(8) {@code options} ("ro", "rw", "ro,norecovery") on a new
   * temporary directory, through a loop device when it is a range of an image file.
   */
  public static LoopMount mount(CommandRunner commands, PartitionTarget partition, String options) throws IOException {
    LoopDevice device = LoopDevice.over(commands, partition, options.equals("ro") || options.startsWith("ro,"));
    Path mountPoint = Files.createTempDirectory(MOUNT_PREFIX);
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.MOUNT.program(), "-o", options,
          device.device().toString(), mountPoint.toString()));
    } catch (IOException e) {
      Files.deleteIfExists(mountPoint);
      device.close();
      throw e;
    }
    return new LoopMount(commands, mountPoint, device);
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

  @Override
  public void close() throws IOException {
    lastResort.close();
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.UMOUNT.program(), mountPoint.toString()));
      Files.deleteIfExists(mountPoint);
    } finally {
      device.close();
    }
  }
}
