package dev.bootj.system.model;

import dev.bootj.common.ByteSize;

/** The filesystem of the root slots and the state partition. */
public enum FilesystemType {
  EXT4("ext4", 0),
  // mkfs.xfs refuses anything smaller ("Filesystem must be larger than 300MB").
  XFS("xfs", 300 * ByteSize.MIB);

  private final String name;
  private final long minimumSize;

  FilesystemType(String name, long minimumSize) {
    this.name = name;
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
}
