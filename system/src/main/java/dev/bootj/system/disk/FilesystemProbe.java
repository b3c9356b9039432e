package dev.bootj.system.disk;

import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Which filesystem a partition holds, from its superblock's magic (an update gives the new slot the
 * same filesystem as the current one; status reads an xfs state partition differently).
 */
public final class FilesystemProbe {

  private static final int EXT_MAGIC_OFFSET = 1024 + 56;

  private FilesystemProbe() {}

  public static FilesystemType of(PartitionTarget partition) throws IOException {
    try (FileChannel channel = FileChannel.open(partition.path(), StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(4);
      channel.read(head, partition.offsetBytes());
      if (head.array()[0] == 'X' && head.array()[1] == 'F' && head.array()[2] == 'S' && head.array()[3] == 'B') {
        return FilesystemType.XFS;
      }
      ByteBuffer magic = ByteBuffer.allocate(2);
      channel.read(magic, partition.offsetBytes() + EXT_MAGIC_OFFSET);
      if ((magic.get(0) & 0xff) == 0x53 && (magic.get(1) & 0xff) == 0xef) {
        return FilesystemType.EXT4;
      }
    }
    throw new IOException("the partition at byte " + partition.offsetBytes() + " of " + partition.path()
        + " holds neither ext4 nor xfs");
  }
}
