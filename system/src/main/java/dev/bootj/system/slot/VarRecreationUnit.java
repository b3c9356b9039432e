package dev.bootj.system.slot;

import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * What {@code bootj reset --wipe-var} adds to the slot it writes: the image's /var, kept in the
 * slot under {@code /.bootj-reset/var}, and a unit that runs at the first boot of that slot, before
 * /var is mounted: it makes a new filesystem on the state partition, fills it with that /var and
 * with bootj's record of the slots (state.json, carried over from the old /var), and last removes
 * {@code /.bootj-reset}, so later boots skip it.
 *
 * <p>Why at boot and not when the command runs: until the new slot boots, the machine must boot
 * what it booted, with its /var, as after any update whose reboot has not come. Every step of the
 * script can run again after a power cut: state.json is carried into the slot before the old /var
 * goes, and the marker directory goes last.
 *
 * <p>var.mount requires the unit: if the wipe fails, /var is not mounted, the boot does not reach
 * boot-complete.target, and the boot counter brings back the previous slot.
 */
public final class VarRecreationUnit {

  public static final String NAME = "bootj-reset-var.service";
  /** In the slot's root; removed by the script once /var is recreated. */
  public static final String DIRECTORY = ".bootj-reset";
  private static final String REQUIRES_DIRECTORY = ReadOnlyUsrUnit.UNIT_DIRECTORY + "/var.mount.requires";
  private static final String SCRIPT = "recreate-var";

  private VarRecreationUnit() {}

  /**
   * Moves the staged image's /var into {@code /.bootj-reset/var} (leaving an empty mount point with
   * the same owner and mode) and adds the script and the unit, for a state partition {@code state}
   * made with {@code filesystem}.
   */
  public static void install(Path stagedRoot, Partition state, FilesystemType filesystem) throws IOException {
    Path reset = stagedRoot.resolve(DIRECTORY);
    Files.createDirectories(reset);
    Files.setPosixFilePermissions(reset, PosixFilePermissions.fromString("rwx------"));
    SlotPreparer.moveVar(stagedRoot, reset.resolve("var"));
    Path script = reset.resolve(SCRIPT);
    Files.writeString(script, script(state, filesystem));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    SlotPreparer.installUnit(stagedRoot, NAME, unit(state), REQUIRES_DIRECTORY);
  }

  static String unit(Partition state) {
    String device = escapedPath(devicePath(state));
    return "# Installed by bootj reset --wipe-var: recreates /var from the image at the first boot of this slot.\n"
        + "[Unit]\n"
        + "Description=Recreate /var from the image (bootj reset --wipe-var)\n"
        + "DefaultDependencies=no\n"
        + "ConditionPathExists=/" + DIRECTORY + "/" + SCRIPT + "\n"
        + "Requires=" + device + ".device\n"
        + "After=" + device + ".device systemd-remount-fs.service\n"
        // Before the check of the old filesystem too: fsck and mkfs must not meet on one device.
        + "Before=var.mount systemd-fsck@" + device + ".service local-fs.target\n"
        + "\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "RemainAfterExit=yes\n"
        + "ExecStart=/bin/sh /" + DIRECTORY + "/" + SCRIPT + "\n";
  }

  static String script(Partition state, FilesystemType filesystem) {
    String mkfs = switch (filesystem) {
      case EXT4 -> "mkfs.ext4 -q -F -L state \"$device\"";
      case XFS -> "mkfs.xfs -q -f -L state \"$device\"";
    };
    String record = StateRecord.PATH_IN_STATE.substring(1);
    return "#!/bin/sh\n"
        + "# Written by bootj reset --wipe-var; run by " + NAME + " before /var is mounted.\n"
        + "# Each step can run again after a power cut; /" + DIRECTORY + " goes last.\n"
        + "set -eu\n"
        + "device=" + devicePath(state) + "\n"
        + "reset=/" + DIRECTORY + "\n"
        + "work=/run/bootj-reset-var\n"
        + "mkdir -p \"$work\"\n"
        + "if [ ! -e \"$reset/state.json\" ]; then\n"
        + "  # bootj's record of the slots outlives the old /var (a read-write mount replays its journal).\n"
        + "  if mount \"$device\" \"$work\"; then\n"
        + "    if [ -f \"$work/" + record + "\" ]; then\n"
        + "      cp \"$work/" + record + "\" \"$reset/state.json.new\"\n"
        + "      sync \"$reset/state.json.new\"\n"
        + "      mv \"$reset/state.json.new\" \"$reset/state.json\"\n"
        + "    fi\n"
        + "    umount \"$work\"\n"
        + "  else\n"
        + "    echo \"bootj: the old /var on $device cannot be mounted; bootj's record of the slots is lost\" >&2\n"
        + "  fi\n"
        + "fi\n"
        + mkfs + "\n"
        + "mount \"$device\" \"$work\"\n"
        + "cp -a \"$reset/var/.\" \"$work/\"\n"
        + "if [ -e \"$reset/state.json\" ]; then\n"
        + "  mkdir -p \"$work/" + record.substring(0, record.lastIndexOf('/')) + "\"\n"
        + "  cp \"$reset/state.json\" \"$work/" + record + "\"\n"
        + "fi\n"
        + "sync -f \"$work\"\n"
        + "umount \"$work\"\n"
        + "rm -rf \"$reset\"\n"
        + "sync\n"
        + "echo \"bootj: /var on $device was recreated from the image\"\n";
  }

  private static String devicePath(Partition state) {
    return "/dev/disk/by-partuuid/" + state.partUuid().toString().toLowerCase(Locale.ROOT);
  }

  /** A path as systemd names its units ({@code systemd-escape --path}). */
  static String escapedPath(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "").replaceAll("/+", "/");
    if (trimmed.isEmpty()) {
      return "-";
    }
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '/') {
        name.append('-');
      } else if (Character.isLetterOrDigit(c) && c < 128 || c == ':' || c == '_' || c == '.' && i > 0) {
        name.append(c);
      } else {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          name.append(String.format("\\x%02x", b & 0xff));
        }
      }
    }
    return name.toString();
  }
}
