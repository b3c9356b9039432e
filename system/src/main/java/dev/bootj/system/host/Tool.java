package dev.bootj.system.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** An external program the installer calls, and the package that brings it on Debian and Fedora. */
public enum Tool {
  SGDISK("sgdisk", "gdisk", "gdisk"),
  MKFS_EXT4("mkfs.ext4", "e2fsprogs", "e2fsprogs"),
  DEBUGFS("debugfs", "e2fsprogs", "e2fsprogs"),
  MKFS_XFS("mkfs.xfs", "xfsprogs", "xfsprogs"),
  MKFS_VFAT("mkfs.vfat", "dosfstools", "dosfstools"),
  MMD("mmd", "mtools", "mtools"),
  MCOPY("mcopy", "mtools", "mtools"),
  MTYPE("mtype", "mtools", "mtools"),
  MDIR("mdir", "mtools", "mtools"),
  MDEL("mdel", "mtools", "mtools"),
  MREN("mren", "mtools", "mtools"),
  SYNC("sync", "coreutils", "coreutils"),
  SYSTEMCTL("systemctl", "systemd", "systemd"),
  SYSTEMD_RUN("systemd-run", "systemd", "systemd"),
  LOGGER("logger", "bsdutils", "util-linux"),
  LOSETUP("losetup", "mount", "util-linux"),
  MOUNT("mount", "mount", "util-linux"),
  UMOUNT("umount", "mount", "util-linux"),
  PARTX("partx", "util-linux", "util-linux"),
  CP("cp", "coreutils", "coreutils");

  private final String program;
  private final String debianPackage;
  private final String fedoraPackage;

  Tool(String program, String debianPackage, String fedoraPackage) {
    this.program = program;
    this.debianPackage = debianPackage;
    this.fedoraPackage = fedoraPackage;
  }

  public String program() {
    return program;
  }

  /** Where the program is, searching the usual sbin directories too (often not on PATH). */
  public Optional<Path> locate() {
    String path = CommandRunner.SEARCH_PATH + ":" + System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  public String missingMessage() {
    return program + " not found; install " + debianPackage + " (Debian) / " + fedoraPackage + " (Fedora)";
  }
}
