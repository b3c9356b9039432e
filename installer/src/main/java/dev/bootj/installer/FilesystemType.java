package dev.bootj.installer;

import dev.bootj.common.ByteSize;

import dev.bootj.installer.host.Tool;

/** The filesystem of the root slots and the state partition. */
public enum FilesystemType {
  EXT4("ext4", Tool.MKFS_EXT4, 0),
  // mkfs.xfs refuses anything smaller ("Filesystem must be larger than 300MB").
  XFS("xfs", Tool.MKFS_XFS, 300 * ByteSize.MIB);

  private final String name;
  private final Tool mkfs;
  private final long minimumSize;

  FilesystemType(String name, Tool mkfs, long minimumSize) {
    this.name = name;
    this.mkfs = mkfs;
    this.minimumSize = minimumSize;
  }

  /** The smallest filesystem mkfs makes; slots are never planned smaller. */
  public long minimumSize() {
    return minimumSize;
  }

  /** The name mount(8) and fstab use. */
  public String fstabName() {
    return name;
  }

  public Tool mkfs() {
    return mkfs;
  }
}
