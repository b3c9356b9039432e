package dev.bootj.installer.update;

import dev.bootj.installer.BootedStatusReader;
import dev.bootj.installer.boot.InstalledBootEntry;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.installer.host.Tool;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/** The ESP of the running machine, mounted at {@code mountPoint} (/efi for machines bootj installed). */
final class MountedEsp implements EspFiles {

  private final Path mountPoint;
  private final CommandRunner commands;

  MountedEsp(Path mountPoint, CommandRunner commands) {
    this.mountPoint = mountPoint;
    this.commands = commands;
  }

  @Override
  public List<InstalledBootEntry> entries() throws IOException {
    return BootedStatusReader.entries(mountPoint.resolve("loader/entries"));
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
    Files.createDirectories(target.getParent());
    // Not ending in .conf: systemd-boot reads only *.conf, so a half-written file is never an entry.
    Path temporary = target.resolveSibling(target.getFileName() + ".bootj-new");
    Files.writeString(temporary, text);
    force(temporary);
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
