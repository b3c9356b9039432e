package dev.bootj.installer.update;

import dev.bootj.installer.disk.PartitionTarget;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.installer.host.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One partition of an offline disk mounted on a temporary directory: through a loop device limited
 * to its byte range when the disk is an image file (no partition nodes there), directly otherwise.
 */
final class LoopMount implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final CommandRunner commands;
  private final Path mountPoint;
  private final String loopDevice;

  private LoopMount(CommandRunner commands, Path mountPoint, String loopDevice) {
    this.commands = commands;
    this.mountPoint = mountPoint;
    this.loopDevice = loopDevice;
  }

  static LoopMount mount(CommandRunner commands, PartitionTarget partition, boolean readOnly) throws IOException {
    String device = partition.path().toString();
    String loop = null;
    if (partition.isRangeOfFile()) {
      var argv = new java.util.ArrayList<>(java.util.List.of(Tool.LOSETUP.program(), "--find", "--show",
          "--offset", String.valueOf(partition.offsetBytes()), "--sizelimit", String.valueOf(partition.sizeBytes())));
      if (readOnly) {
        argv.add("--read-only");
      }
      argv.add(device);
      loop = commands.run(new CommandRunner.Command(argv, java.util.Map.of(), TIMEOUT)).strip();
      device = loop;
    }
    Path mountPoint = Files.createTempDirectory("bootj-mount-");
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.MOUNT.program(), "-o",
          readOnly ? "ro" : "rw", device, mountPoint.toString()));
    } catch (IOException e) {
      Files.deleteIfExists(mountPoint);
      if (loop != null) {
        commands.run(CommandRunner.Command.of(TIMEOUT, Tool.LOSETUP.program(), "--detach", loop));
      }
      throw e;
    }
    return new LoopMount(commands, mountPoint, loop);
  }

  Path path() {
    return mountPoint;
  }

  @Override
  public void close() throws IOException {
    try {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.UMOUNT.program(), mountPoint.toString()));
      Files.deleteIfExists(mountPoint);
    } finally {
      if (loopDevice != null) {
        commands.run(CommandRunner.Command.of(TIMEOUT, Tool.LOSETUP.program(), "--detach", loopDevice));
      }
    }
  }
}
