package dev.bootj.system.esp;

import dev.bootj.common.ByteSize;
import dev.bootj.common.files.AtomicFile;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.InstalledBootEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ESP of a disk or disk image that is not running, reached with mtools at its offset
 * (FILE@@OFFSET): nothing is mounted, so it works where the kernel has no vfat and where an image
 * file has no partition nodes.
 */
public final class MtoolsEsp implements Esp {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int SECTOR = 512;
  /** Fewer clusters than this make a FAT16 volume, whatever the boot sector says. */
  private static final long FAT32_MIN_CLUSTERS = 65_525;
  /** The cluster count {@link #sectorsPerCluster} keeps above: the minimum and a sixteenth for the FATs. */
  private static final long CLUSTERS_WANTED = FAT32_MIN_CLUSTERS + FAT32_MIN_CLUSTERS / 16;

  /**
   * The smallest ESP {@link #format} makes a valid FAT32 volume of: with one sector per cluster,
   * enough clusters for FAT32 and room for the FATs, rounded up to a MiB (34 MiB). Below it
   * mkfs.vfat writes a FAT32 boot sector over too few clusters (mkfs.fat 4.2 warns at 32 MiB,
   * fsck.fat then counts 64,496 clusters), which mtools and UEFI firmware read as FAT16 or refuse.
   */
  public static final long MINIMUM_SIZE_BYTES = ByteSize.roundUp(CLUSTERS_WANTED * SECTOR, ByteSize.MIB);

  private final PartitionTarget esp;
  private final CommandRunner commands;

  public MtoolsEsp(PartitionTarget esp, CommandRunner commands) {
    this.esp = esp;
    this.commands = commands;
  }

  /** Makes a new, empty FAT32 filesystem labelled ESP on {@code esp} and returns it. */
  public static MtoolsEsp format(PartitionTarget esp, CommandRunner commands) throws IOException {
    List<String> args = new ArrayList<>(List.of(Tool.MKFS_VFAT.program(), "-F", "32", "-n", "ESP",
        "-S", String.valueOf(SECTOR), "-s", String.valueOf(sectorsPerCluster(esp.sizeBytes()))));
    if (esp.isRangeOfFile()) {
      args.add("--offset=" + esp.offsetBytes() / SECTOR);
      args.add(esp.path().toString());
      args.add(String.valueOf(esp.sizeBytes() / 1024));
    } else {
      args.add(esp.path().toString());
    }
    commands.run(new CommandRunner.Command(args, Map.of(), TIMEOUT));
    return new MtoolsEsp(esp, commands);
  }

  /**
   * The cluster size, chosen from the ESP's own size. Left to itself, mkfs.vfat sizes clusters
   * from the whole file it is given, not from the block count after {@code --offset}: on an image
   * file over 8 GiB a 512 MiB ESP got 8 KiB clusters, too few for FAT32 (65,525 at least), which
   * mtools and UEFI firmware that go by the cluster count cannot read. 4 KiB clusters, as
   * mkfs.vfat picks for a 512 MiB volume, or smaller ones for a small ESP so that the count stays
   * well above the minimum (the FATs and reserved sectors take a little of the space).
   */
  static int sectorsPerCluster(long espBytes) {
    long sectors = espBytes / SECTOR;
    for (int perCluster = 8; perCluster > 1; perCluster /= 2) {
      if (sectors / perCluster >= CLUSTERS_WANTED) {
        return perCluster;
      }
    }
    return 1;
  }

  @Override
  public List<InstalledBootEntry> entries() throws IOException {
    List<InstalledBootEntry> found = new ArrayList<>();
    if (!exists(ENTRIES)) {
      return found;
    }
    for (String line : mtools(Tool.MDIR, "-b", "::" + ENTRIES).split("\n")) {
      String name = line.strip();
      name = name.substring(name.lastIndexOf('/') + 1);
      if (!InstalledBootEntry.isBootjEntry(name)) {
        continue;
      }
      String text;
      try {
        text = mtools(Tool.MTYPE, "::" + Esp.entryPath(name));
      } catch (IOException vanished) {
        continue;
      }
      InstalledBootEntry.parse(name, text).ifPresent(found::add);
    }
    return found;
  }

  @Override
  public void copyIn(Path source, String espPath) throws IOException {
    makeParents(espPath);
    mtools(Tool.MCOPY, "-o", source.toString(), "::" + espPath);
  }

  @Override
  public void writeAtomically(String espPath, String text) throws IOException {
    Path scratch = Files.createTempDirectory("bootj-esp-");
    try {
      Path file = Files.writeString(scratch.resolve("content"), text);
      makeParents(espPath);
      String temporary = espPath + AtomicFile.TEMPORARY_SUFFIX;
      delete(temporary);
      mtools(Tool.MCOPY, "-o", file.toString(), "::" + temporary);
      // The new text on the disk before the rename: after a power cut, the name never points at
      // clusters that were not written (mtools writes through the page cache, in no set order).
      sync();
      // One mren replaces the old file ("-o"): it rewrites the directory, which drops the old entry
      // and renames the new one, in one sector write, and frees the old clusters after that. A kill
      // in between leaves lost clusters, never a missing file (a delete then a rename did: a slot
      // without a boot entry, which rollback refuses).
      mtools(Tool.MREN, "-o", "::" + temporary, "::" + espPath);
    } finally {
      SubtreeDeleter.forThisProcess().delete(scratch);
    }
  }

  @Override
  public void delete(String espPath) throws IOException {
    if (exists(espPath)) {
      mtools(Tool.MDEL, "::" + espPath);
    }
  }

  /** mtools writes through the page cache of the image file or device: this flushes it (fsync). */
  @Override
  public void sync() throws IOException {
    try (FileChannel channel = FileChannel.open(esp.path(), StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** The mtools command line with the environment mtools needs for images it finds odd. */
  public static CommandRunner.Command mtoolsCommand(List<String> argv) {
    return new CommandRunner.Command(argv, Map.of("MTOOLS_SKIP_CHECK", "1"), TIMEOUT);
  }

  private boolean exists(String espPath) throws IOException {
    String parent = espPath.substring(0, espPath.lastIndexOf('/'));
    String name = espPath.substring(espPath.lastIndexOf('/') + 1);
    String listing;
    try {
      listing = mtools(Tool.MDIR, "-b", "::" + (parent.isEmpty() ? "/" : parent));
    } catch (IOException noParent) {
      return false;
    }
    // mdir -b prints "::/loader/entries/bootj-a.conf", and directories with a trailing "/".
    return listing.lines().map(String::strip)
        .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
        .anyMatch(l -> l.substring(l.lastIndexOf('/') + 1).equalsIgnoreCase(name));
  }

  private void makeParents(String espPath) throws IOException {
    String[] parts = espPath.substring(1).split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      dir.append('/').append(parts[i]);
      if (!exists(dir.toString())) {
        mtools(Tool.MMD, "::" + dir);
      }
    }
  }

  private String mtools(Tool tool, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(tool.program(), "-i", esp.mtoolsImage()));
    argv.addAll(List.of(args));
    return commands.run(mtoolsCommand(argv));
  }
}
