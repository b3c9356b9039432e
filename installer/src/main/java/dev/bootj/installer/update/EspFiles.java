package dev.bootj.installer.update;

import dev.bootj.installer.boot.InstalledBootEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of an EFI System Partition, wherever they are: a mounted directory on a running
 * machine ({@link MountedEsp}) or a FAT filesystem inside a disk image reached through mtools
 * ({@link MtoolsEsp}). Paths are absolute within the ESP ({@code /loader/entries/bootj-a.conf}).
 */
interface EspFiles {

  /** bootj's boot entries, in no particular order. */
  List<InstalledBootEntry> entries() throws IOException;

  /** Copies a file in, replacing what is there, and makes missing parent directories. */
  void copyIn(Path source, String espPath) throws IOException;

  /**
   * Writes {@code text} under a temporary name that systemd-boot ignores, then renames it to
   * {@code espPath}: the entry appears whole or not at all.
   */
  void writeAtomically(String espPath, String text) throws IOException;

  /** Removes a file; nothing happens if it is not there. */
  void delete(String espPath) throws IOException;

  /** Everything written so far is on the disk. */
  void sync() throws IOException;

  static String entryPath(String fileName) {
    return "/loader/entries/" + fileName;
  }
}
