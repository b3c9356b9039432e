package dev.bootj.installer.disk;

import dev.bootj.installer.FilesystemType;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.installer.host.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Makes a filesystem on one partition, filled from a directory, with full fidelity (owners, modes
 * incl. setuid, hard links, device nodes, symlinks, xattrs incl. security.capability).
 *
 * <ul>
 *   <li>ext4: {@code mkfs.ext4 -d}, which fills the filesystem without mounting it, and on an image
 *       file writes at the partition's offset ({@code -E offset=}). Verified to keep everything the
 *       unpacker makes except sub-second mtimes (ext4's -d stores whole seconds), which nothing on a
 *       root filesystem depends on.</li>
 *   <li>xfs: mkfs.xfs has no equivalent of -d that keeps owners and xattrs here, so the partition
 *       (a loop device limited to its byte range, for a file) is made, mounted on a temporary
 *       directory and filled with {@code cp -a}.</li>
 * </ul>
 */
public final class FilesystemWriter {

  // A root of a few GB takes seconds; a slow USB stick might take many minutes.
  private static final Duration FILL_TIMEOUT = Duration.ofMinutes(60);
  private static final Duration QUICK = Duration.ofMinutes(2);

  private final CommandRunner commands;

  public FilesystemWriter(CommandRunner commands) {
    this.commands = commands;
  }

  public void write(FilesystemType type, PartitionTarget target, String label, UUID uuid, Path content)
      throws IOException {
    switch (type) {
      case EXT4 -> commands.run(new CommandRunner.Command(ext4Arguments(target, label, uuid, content),
          java.util.Map.of(), FILL_TIMEOUT));
      case XFS -> writeXfs(target, label, uuid, content);
      default -> throw new IllegalArgumentException(type.toString());
    }
  }

  static List<String> ext4Arguments(PartitionTarget target, String label, UUID uuid, Path content) {
    List<String> args = new ArrayList<>(List.of(Tool.MKFS_EXT4.program(), "-q", "-F", "-L", label,
        "-U", uuid.toString()));
    if (target.isRangeOfFile()) {
      args.add("-E");
      args.add("offset=" + target.offsetBytes());
    }
    args.addAll(List.of("-d", content.toString(), target.path().toString(), target.sizeBytes() / 1024 + "k"));
    return args;
  }

  private void writeXfs(PartitionTarget target, String label, UUID uuid, Path content) throws IOException {
    String device = target.path().toString();
    boolean attached = false;
    if (target.isRangeOfFile()) {
      // --sizelimit keeps mkfs inside the partition (without it the backup GPT is overwritten).
      device = commands.run(CommandRunner.Command.of(QUICK, Tool.LOSETUP.program(), "--find", "--show",
          "--offset", String.valueOf(target.offsetBytes()), "--sizelimit", String.valueOf(target.sizeBytes()),
          target.path().toString())).strip();
      attached = true;
    }
    Path mountPoint = Files.createTempDirectory("bootj-xfs-");
    boolean mounted = false;
    try {
      commands.run(CommandRunner.Command.of(QUICK, Tool.MKFS_XFS.program(), "-q", "-f", "-L", label,
          "-m", "uuid=" + uuid, device));
      commands.run(CommandRunner.Command.of(QUICK, Tool.MOUNT.program(), "-t", "xfs", device, mountPoint.toString()));
      mounted = true;
      copyWithCpA(content, mountPoint);
    } finally {
      if (mounted) {
        commands.run(CommandRunner.Command.of(QUICK, Tool.UMOUNT.program(), mountPoint.toString()));
      }
      if (attached) {
        commands.run(CommandRunner.Command.of(QUICK, Tool.LOSETUP.program(), "--detach", device));
      }
      Files.deleteIfExists(mountPoint);
    }
  }

  // The root directory's own mode and owner come along too: "SRC/." copies the directory itself.
  private void copyWithCpA(Path content, Path mountPoint) throws IOException {
    commands.run(CommandRunner.Command.of(FILL_TIMEOUT, Tool.CP.program(), "-a", content + "/.", mountPoint + "/"));
  }
}
