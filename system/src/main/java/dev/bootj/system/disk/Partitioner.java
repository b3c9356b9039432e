package dev.bootj.system.disk;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link PartitionLayout} as a fresh GPT with sgdisk, with the PARTUUIDs the plan chose
 * (set explicitly, so fstab and boot entries can be written without reading them back). On a
 * block device it then has the kernel reread the table and waits for the partition nodes.
 */
public final class Partitioner {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final Duration NODE_WAIT = Duration.ofSeconds(15);

  private final CommandRunner commands;

  public Partitioner(CommandRunner commands) {
    this.commands = commands;
  }

  public void write(TargetDisk target, PartitionLayout layout) throws IOException {
    String disk = target.path().toString();
    // Removes any old GPT (both copies) and MBR first, so nothing of a previous layout survives.
    commands.run(CommandRunner.Command.of(TIMEOUT, Tool.SGDISK.program(), "--zap-all", disk));
    commands.run(new CommandRunner.Command(arguments(layout, disk), java.util.Map.of(), TIMEOUT));
    if (target.blockDevice()) {
      commands.run(CommandRunner.Command.of(TIMEOUT, Tool.PARTX.program(), "--update", disk));
      waitForNodes(target, layout);
    }
  }

  /** The sgdisk command line creating the layout; sizes in KiB, which sgdisk converts to sectors. */
  static List<String> arguments(PartitionLayout layout, String disk) {
    List<String> args = new ArrayList<>(List.of(Tool.SGDISK.program(), "--clear"));
    for (Partition p : layout.partitions()) {
      int n = p.role().number();
      args.add("--new=" + n + ":" + p.offsetBytes() / 1024 + "K:+" + p.sizeBytes() / 1024 + "K");
      args.add("--typecode=" + n + ":" + p.role().type());
      args.add("--change-name=" + n + ":" + p.role().label());
      args.add("--partition-guid=" + n + ":" + p.partUuid());
    }
    args.add(disk);
    return args;
  }

  // udev creates the nodes asynchronously after the reread; poll rather than depend on udevadm.
  private static void waitForNodes(TargetDisk target, PartitionLayout layout) throws IOException {
    long deadline = System.nanoTime() + NODE_WAIT.toNanos();
    for (Partition p : layout.partitions()) {
      Path node = target.partitionNode(p.role().number());
      while (!Files.exists(node)) {
        if (System.nanoTime() > deadline) {
          throw new IOException(node + " did not appear within " + NODE_WAIT.toSeconds()
              + " s after partitioning " + target.path() + " (is udev running?)");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for " + node, e);
        }
      }
    }
  }
}
