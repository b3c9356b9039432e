package dev.bootj.installer;

/** The filesystem of the root slots and the state partition. */
public enum FilesystemType {
  EXT4("ext4", Tool.MKFS_EXT4),
  XFS("xfs", Tool.MKFS_XFS);

  private final String name;
  private final Tool mkfs;

  FilesystemType(String name, Tool mkfs) {
    this.name = name;
    this.mkfs = mkfs;
  }

  /** The name mount(8) and fstab use. */
  public String fstabName() {
    return name;
  }

  public Tool mkfs() {
    return mkfs;
  }
}
