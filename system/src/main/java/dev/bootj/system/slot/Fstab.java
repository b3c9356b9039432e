package dev.bootj.system.slot;

import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.Partition;

/**
 * The /etc/fstab bootj writes into a slot. Every device by PARTUUID, which the partition table
 * fixes at install, so the lines never depend on disk naming (sda, vda, nvme0n1).
 *
 * <p>Deliberately no /usr line: Debian's initramfs-tools mounts /usr itself when fstab names it and
 * hides the real one behind it; {@link ReadOnlyUsrUnit} makes /usr read-only instead.
 */
public record Fstab(Partition root, Partition state, Partition esp, FilesystemType filesystem) {

  public static final String ESP_MOUNT_POINT = "/efi";

  public String text() {
    String fs = filesystem.fstabName();
    return "# Written by bootj. /usr is made read-only by bootj-readonly-usr.service, not here.\n"
        + "PARTUUID=" + root.partUuid() + " / " + fs + " rw 0 1\n"
        + "PARTUUID=" + state.partUuid() + " /var " + fs + " defaults 0 2\n"
        // umask=0077: the ESP holds boot entries and kernels; only root should read or change them.
        + "PARTUUID=" + esp.partUuid() + " " + ESP_MOUNT_POINT + " vfat umask=0077 0 2\n";
  }
}
