package dev.bootj.system.slot;

/**
 * The systemd unit that makes /usr read-only early in boot: bind-mount /usr onto itself, then
 * remount that bind read-only. The root filesystem stays writable for /etc.
 *
 * <p>It is installed in /usr/lib/systemd/system and enabled by a symlink in
 * local-fs.target.wants there too, so it belongs to the image side of the slot and no /etc merge
 * can drop it.
 */
final class ReadOnlyUsrUnit {

  public static final String NAME = "bootj-readonly-usr.service";
  public static final String UNIT_DIRECTORY = "usr/lib/systemd/system";
  public static final String WANTS_DIRECTORY = UNIT_DIRECTORY + "/local-fs.target.wants";

  private static final String SCRIPT = "mountpoint -q /usr || mount --bind /usr /usr || exit 1; "
      + "for try in 1 2 3 4 5 6 7 8 9 10; do mount -o remount,bind,ro /usr && exit 0; sleep 0.3; done; exit 1";

  private ReadOnlyUsrUnit() {}

  public static String text() {
    return "# Installed by bootj: /usr is the image's and must not change on a running machine.\n"
        + "[Unit]\n"
        + "Description=Make /usr read-only (bootj)\n"
        + "DefaultDependencies=no\n"
        // After the root is remounted per fstab, before anything that relies on local filesystems.
        + "After=systemd-remount-fs.service\n"
        + "Before=local-fs.target\n"
        // Already read-only (a second start, or an image that does it itself): nothing to do.
        + "ConditionPathIsReadWrite=/usr\n"
        + "\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "RemainAfterExit=yes\n"
        // Early boot mounts other filesystems at the same moment, and util-linux reads the mount
        // table non-atomically: now and then the remount does not find the fresh bind (exit 32,
        // seen in QEMU tests). So: bind once, then retry the remount a few times.
        + "ExecStart=/bin/sh -c '" + SCRIPT + "'\n";
  }
}
