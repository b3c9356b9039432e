package dev.bootj.installer.boot;

import dev.bootj.installer.disk.PartitionTarget;
import dev.bootj.installer.host.CommandRunner;
import dev.bootj.installer.host.Tool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * bootj's boot entries on an ESP that is not mounted (inside a disk image or on a device), read
 * with mtools: shared by offline status and offline updates.
 */
public final class OfflineEspEntries {

  private OfflineEspEntries() {}

  /** bootj's entries in loader/entries, in no particular order; an entry that vanishes meanwhile is skipped. */
  public static List<InstalledBootEntry> read(CommandRunner commands, PartitionTarget esp) throws IOException {
    String listing = commands.run(EspWriter.mtoolsCommand(
        List.of(Tool.MDIR.program(), "-b", "-i", esp.mtoolsImage(), "::/loader/entries")));
    List<InstalledBootEntry> found = new ArrayList<>();
    for (String line : listing.split("\n")) {
      String name = line.strip();
      name = name.substring(name.lastIndexOf('/') + 1);
      if (!InstalledBootEntry.isBootjEntry(name)) {
        continue;
      }
      String text;
      try {
        text = commands.run(EspWriter.mtoolsCommand(
            List.of(Tool.MTYPE.program(), "-i", esp.mtoolsImage(), "::/loader/entries/" + name)));
      } catch (IOException missing) {
        continue;
      }
      InstalledBootEntry.parse(name, text).ifPresent(found::add);
    }
    return found;
  }
}
