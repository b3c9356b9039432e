package dev.bootj.system.disk;

import java.nio.file.Path;

/**
 * Where one partition's bytes are: a partition device node ({@code offsetBytes} 0) or a range of a
 * disk image file. Tools are given the offset form only where they understand it.
 */
public record PartitionTarget(Path path, long offsetBytes, long sizeBytes) {

  public boolean isRangeOfFile() {
    return offsetBytes > 0;
  }

  /** mtools' image spec: FILE@@OFFSET reaches a FAT filesystem inside a disk image. */
  public String mtoolsImage() {
    return isRangeOfFile() ? path + "@@" + offsetBytes : path.toString();
  }

  /** e2fsprogs' io-manager option syntax: FILE?offset=N, for debugfs. */
  public String e2fsprogsImage() {
    return isRangeOfFile() ? path + "?offset=" + offsetBytes : path.toString();
  }
}
