package dev.bootj.system.esp;

import dev.bootj.common.files.AtomicFile;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.InstalledBootEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The ESP of a running machine, mounted at {@code mountPoint} (/efi for machines bootj installed). */
public final class MountedEsp implements Esp {

  private final Path mountPoint;
  private final CommandRunner commands;

  public MountedEsp(Path mountPoint, CommandRunner commands) {
    this.mountPoint = mountPoint;
    this.commands = commands;
  }

  @Override
  public List<InstalledBootEntry> entries() throws IOException {
    Path directory = resolve(ENTRIES);
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<InstalledBootEntry> found = new ArrayList<>();
    try (Stream<Path> listing = Files.list(directory)) {
      for (Path file : listing.sorted().toList()) {
        String name = file.getFileName().toString();
        if (InstalledBootEntry.isBootjEntry(name) && Files.isRegularFile(file)) {
          InstalledBootEntry.parse(name, Files.readString(file)).ifPresent(found::add);
        }
      }
    }
    return found;
  }

  @Override
  public void copyIn(Path source, String espPath) throws IOException {
    Path target = resolve(espPath);
    Files.createDirectories(target.getParent());
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    force(target);
  }

  @Override
  public void writeAtomically(String espPath, String text) throws IOException {
    Path target = resolve(espPath);
    // The temporary name does not end in .conf: systemd-boot reads only *.conf, so a
    // half-written file is never an entry.
    AtomicFile.write(target, text);
  }

  @Override
  public void delete(String espPath) throws IOException {
    Files.deleteIfExists(resolve(espPath));
  }

  // FAT has no journal: renames and deletions reach the disk when the filesystem is synced.
  @Override
  public void sync() throws IOException {
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(2), Tool.SYNC.program(), "-f", mountPoint.toString()));
  }

  private Path resolve(String espPath) {
    return mountPoint.resolve(espPath.substring(1));
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
