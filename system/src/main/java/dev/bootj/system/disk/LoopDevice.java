package dev.bootj.system.disk;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A block device for one partition: on a disk image file, a loop device over the partition's byte
 * range (this kernel gives loop devices no partition nodes, and {@code --sizelimit} keeps mkfs from
 * overwriting the backup GPT at the end); on a block device, its partition node, used as it is.
 * Closing detaches a loop device this made.
 */
public final class LoopDevice implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final CommandRunner commands;
  private final PartitionTarget target;
  private final boolean attached;

  private LoopDevice(CommandRunner commands, PartitionTarget target, boolean attached) {
    this.commands = commands;
    this.target = target;
    this.attached = attached;
  }

  public static LoopDevice over(CommandRunner commands, PartitionTarget partition, boolean readOnly)
      throws IOException {
    if (!partition.isRangeOfFile()) {
      return new LoopDevice(commands, partition, false);
    }
    List<String> argv = new ArrayList<>(List.of(Tool.LOSETUP.program(), "--find", "--show",
        "--offset", String.valueOf(partition.offsetBytes()), "--sizelimit", String.valueOf(partition.sizeBytes())));
    if (readOnly) {
      argv.add("--read-only");
    }
    argv.add(partition.path().toString());
    String device = commands.run(new CommandRunner.Command(argv, java.util.Map.of(), TIMEOUT)).strip();
    return new LoopDevice(commands, new PartitionTarget(Path.of(device), 0, partition.sizeBytes()), true);
  }

  /** The partition as a whole device (offset 0). */
  public PartitionTarget target() {
    return target;
  }

  public Path device() {
    return target.path();
  }

  /** Detaches {@code device}, a loop device found attached (e.g. left by a killed run). */
  static void detach(CommandRunner commands, String device) throws IOException {
    commands.run(CommandRunner.Command.of(TIMEOUT, Tool.LOSETUP.program(), "--detach", device));
  }

  @Override
  public void close() throws IOException {
    if (attached) {
      detach(commands, target.path().toString());
    }
  }
}
