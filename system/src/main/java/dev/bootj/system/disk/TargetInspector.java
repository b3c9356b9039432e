package dev.bootj.system.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Says why a target must not be written to: it is a partition rather than a disk, something on it
 * is mounted or in use, or it already holds partitions and --wipe was not given. Reads only
 * /proc and /sys (or, for a file, its first sector); never opens another device.
 */
public final class TargetInspector {

  private final Path procRoot;
  private final Path sysRoot;

  public TargetInspector() {
    this(Path.of("/proc"), Path.of("/sys"));
  }

  /** For tests: stand-ins for /proc and /sys. */
  public TargetInspector(Path procRoot, Path sysRoot) {
    this.procRoot = procRoot;
    this.sysRoot = sysRoot;
  }

  public List<String> problems(TargetDisk target, boolean wipe) throws IOException {
    List<String> problems = new ArrayList<>();
    if (!target.blockDevice()) {
      if (target.hasPartitionTable() && !wipe) {
        problems.add(target.path() + " already has a partition table; give --wipe to overwrite it");
      }
      return problems;
    }
    Path sys = sysRoot.resolve("class/block").resolve(target.kernelName());
    if (Files.exists(sys.resolve("partition"))) {
      problems.add(target.path() + " is a partition; give the whole disk");
      return problems;
    }
    List<String> partitions = partitionsOf(sys);
    Set<String> names = new HashSet<>(partitions);
    names.add(target.kernelName());
    // Mounted or in use is refused even with --wipe: writing under a live filesystem (or swap,
    // or an LVM/RAID member) would wreck the running system, and that is never what was meant.
    for (String source : mountedSources()) {
      String name = Path.of(source).getFileName().toString();
      if (names.contains(name)) {
        problems.add(source + " is in use (mounted or swap); unmount it first");
      }
    }
    for (String name : names) {
      Path holders = sys.resolve(name.equals(target.kernelName()) ? "holders" : name + "/holders");
      if (Files.isDirectory(holders)) {
        try (Stream<Path> held = Files.list(holders)) {
          held.findFirst().ifPresent(h -> problems.add("/dev/" + name + " is in use by " + h.getFileName()
              + " (device mapper, LVM or RAID); release it first"));
        }
      }
    }
    if (!partitions.isEmpty() && !wipe) {
      problems.add(target.path() + " has partitions (" + String.join(", ", partitions)
          + "); give --wipe to erase the whole disk");
    } else if (partitions.isEmpty() && !wipe && target.hasPartitionTable()) {
      // The kernel lists no partitions when it never scanned the table (a loop device attached
      // without -P, for one); the table on the disk still deserves the same care.
      problems.add(target.path() + " has a partition table; give --wipe to erase the whole disk");
    }
    return problems;
  }

  // Partitions appear in the disk's sysfs directory as subdirectories holding a "partition" file.
  private static List<String> partitionsOf(Path sys) throws IOException {
    if (!Files.isDirectory(sys)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(sys)) {
      return children.filter(child -> Files.exists(child.resolve("partition")))
          .map(child -> child.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  // Device nodes that are mounted or used as swap, each resolved to its real /dev name.
  private List<String> mountedSources() throws IOException {
    List<String> sources = new ArrayList<>();
    for (String file : List.of("mounts", "swaps")) {
      Path table = procRoot.resolve(file);
      if (!Files.exists(table)) {
        continue;
      }
      for (String line : Files.readAllLines(table)) {
        String source = line.split("\\s+")[0];
        if (source.startsWith("/dev/")) {
          Path real = Path.of(source);
          try {
            real = real.toRealPath();
          } catch (IOException gone) {
            // A stale name (a test's fake /proc, or a device since removed): compare it as written.
          }
          sources.add(real.toString());
        }
      }
    }
    return sources;
  }
}
