package dev.bootj.system.disk;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
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
  private final Mke2fs mke2fs;

  /** Asks mkfs.ext4 for its version when an ext4 filesystem is first written. */
  public FilesystemWriter(CommandRunner commands) {
    this(commands, null);
  }

  /** @param mke2fs the host's mke2fs as preflight found it; null to ask it when needed */
  public FilesystemWriter(CommandRunner commands, Mke2fs mke2fs) {
    this.commands = commands;
    this.mke2fs = mke2fs;
  }

  public void write(FilesystemType type, PartitionTarget target, String label, UUID uuid, Path content)
      throws IOException {
    switch (type) {
      case EXT4 -> commands.run(new CommandRunner.Command(
          ext4Arguments(target, label, uuid, content, hostMke2fsKnowsOrphanFile()), java.util.Map.of(), FILL_TIMEOUT));
      case XFS -> writeXfs(target, label, uuid, content);
      default -> throw new IllegalArgumentException(type.toString());
    }
  }

  /** The program that makes {@code filesystem}. */
  public static Tool mkfs(FilesystemType filesystem) {
    return switch (filesystem) {
      case EXT4 -> Tool.MKFS_EXT4;
      case XFS -> Tool.MKFS_XFS;
    };
  }

  // A version we cannot read is taken as older: -O ^orphan_file would make an old mke2fs fail.
  private boolean hostMke2fsKnowsOrphanFile() throws IOException {
    Mke2fs known = mke2fs != null ? mke2fs : Mke2fs.ask(commands).orElse(null);
    return known != null && known.knowsOrphanFile();
  }

  /**
   * @param disableOrphanFile turn off orphan_file, which e2fsprogs 1.47 turns on by default and
   *     kernels before 5.15 cannot mount; only for an mke2fs that knows the feature (see {@link Mke2fs})
   */
  static List<String> ext4Arguments(PartitionTarget target, String label, UUID uuid, Path content,
      boolean disableOrphanFile) {
    List<String> args = new ArrayList<>(List.of(Tool.MKFS_EXT4.program(), "-q", "-F", "-L", label,
        "-U", uuid.toString()));
    if (disableOrphanFile) {
      args.add("-O");
      args.add("^orphan_file");
    }
    if (target.isRangeOfFile()) {
      args.add("-E");
      args.add("offset=" + target.offsetBytes());
    }
    args.addAll(List.of("-d", content.toString(), target.path().toString(), target.sizeBytes() / 1024 + "k"));
    return args;
  }

  private void writeXfs(PartitionTarget target, String label, UUID uuid, Path content) throws IOException {
    try (LoopDevice device = LoopDevice.over(commands, target, false)) {
      commands.run(CommandRunner.Command.of(QUICK, Tool.MKFS_XFS.program(), "-q", "-f", "-L", label,
          "-m", "uuid=" + uuid, device.device().toString()));
      try (LoopMount mounted = LoopMount.readWrite(commands, device.target())) {
        copyWithCpA(content, mounted.path());
      }
    }
  }

  // The root directory's own mode and owner come along too: "SRC/." copies the directory itself.
  private void copyWithCpA(Path content, Path mountPoint) throws IOException {
    commands.run(CommandRunner.Command.of(FILL_TIMEOUT, Tool.CP.program(), "-a", content + "/.", mountPoint + "/"));
  }
}
