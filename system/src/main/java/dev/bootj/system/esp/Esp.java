package dev.bootj.system.esp;

import dev.bootj.system.model.InstalledBootEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The EFI System Partition, wherever it is: a mounted directory on a running machine ({@link
 * MountedEsp}) or a FAT filesystem inside a disk or disk image reached through mtools ({@link
 * MtoolsEsp}). Install, status and updates all go through this one type. Paths are absolute
 * within the ESP ({@code /loader/entries/bootj-a.conf}). Layout:
 *
 * <pre>
 * EFI/systemd/systemd-bootx64.efi   EFI/BOOT/BOOTX64.EFI (removable-media path: no NVRAM entry needed)
 * loader/loader.conf                loader/entries/bootj-a.conf
 * bootj/a/vmlinuz                   bootj/a/initrd
 * </pre>
 */
public interface Esp {

  String SYSTEMD_BOOT = "/EFI/systemd/systemd-bootx64.efi";
  String REMOVABLE_MEDIA_BOOT = "/EFI/BOOT/BOOTX64.EFI";
  String LOADER_CONF = "/loader/loader.conf";
  String ENTRIES = "/loader/entries";

  /** bootj's boot entries, in no particular order; other files (and other systems' entries) are ignored. */
  List<InstalledBootEntry> entries() throws IOException;

  /** Copies a file in, replacing what is there, and makes missing parent directories. */
  void copyIn(Path source, String espPath) throws IOException;

  /**
   * Writes {@code text} under a temporary name that systemd-boot ignores, then renames it to
   * {@code espPath}: the file appears whole or not at all.
   */
  void writeAtomically(String espPath, String text) throws IOException;

  /** Removes a file; nothing happens if it is not there. */
  void delete(String espPath) throws IOException;

  /** Everything written so far is on the disk. */
  void sync() throws IOException;

  static String entryPath(String fileName) {
    return ENTRIES + "/" + fileName;
  }
}
