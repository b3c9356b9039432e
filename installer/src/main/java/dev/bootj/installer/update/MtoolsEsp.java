package dev.bootj.installer.update;

import dev.bootj.installer.boot.EspWriter;
import dev.bootj.installer.boot.InstalledBootEntry;
import dev.bootj.installer.boot.OfflineEspEntries;
import dev.bootj.installer.disk.PartitionTarget;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.installer.host.Tool;
import dev.bootj.common.files.SubtreeDeleter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ESP of a disk that is not running, reached with mtools at its offset (this kernel may have no
 * vfat, and an image file has no partition nodes).
 */
final class MtoolsEsp implements EspFiles {

  private final PartitionTarget esp;
  private final CommandRunner commands;

  MtoolsEsp(PartitionTarget esp, CommandRunner commands) {
    this.esp = esp;
    this.commands = commands;
  }

  @Override
  public List<InstalledBootEntry> entries() throws IOException {
    return OfflineEspEntries.read(commands, esp);
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
      Path file = Files.writeString(scratch.resolve("entry"), text);
      makeParents(espPath);
      String temporary = espPath + ".bootj-new";
      delete(temporary);
      mtools(Tool.MCOPY, "-o", file.toString(), "::" + temporary);
      delete(espPath);
      mtools(Tool.MREN, "::" + temporary, "::" + espPath);
    } finally {
      SubtreeDeleter.forThisProcess().delete(scratch);
    }
  }

  @Override
  public void delete(String espPath) throws IOException {
    String parent = espPath.substring(0, espPath.lastIndexOf('/'));
    String name = espPath.substring(espPath.lastIndexOf('/') + 1);
    String listing = mtools(Tool.MDIR, "-b", "::" + (parent.isEmpty() ? "/" : parent));
    boolean present = listing.lines().map(String::strip)
        .anyMatch(l -> l.substring(l.lastIndexOf('/') + 1).equalsIgnoreCase(name));
    if (present) {
      mtools(Tool.MDEL, "::" + espPath);
    }
  }

  // mtools writes through to the image file; the caller flushes the file.
  @Override
  public void sync() {}

  private void makeParents(String espPath) throws IOException {
    String[] parts = espPath.substring(1).split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      dir.append('/').append(parts[i]);
      try {
        mtools(Tool.MDIR, "-b", "::" + dir);
      } catch (IOException missing) {
        mtools(Tool.MMD, "::" + dir);
      }
    }
  }

  private String mtools(Tool tool, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(tool.program(), "-i", esp.mtoolsImage()));
    argv.addAll(List.of(args));
    return commands.run(EspWriter.mtoolsCommand(argv));
  }
}
