package dev.bootj.installer.update;

import dev.bootj.installer.FilesystemType;
import dev.bootj.installer.disk.PartitionTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/** The filesystem of an existing slot, from its superblock's magic: the new slot gets the same. */
final class SlotFilesystem {

  private static final int EXT_MAGIC_OFFSET = 1024 + 56;

  private SlotFilesystem() {}

  static FilesystemType of(PartitionTarget slot) throws IOException {
    try (FileChannel channel = FileChannel.open(slot.path(), StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(4);
      channel.read(head, slot.offsetBytes());
      if (head.array()[0] == 'X' && head.array()[1] == 'F' && head.array()[2] == 'S' && head.array()[3] == 'B') {
        return FilesystemType.XFS;
      }
      ByteBuffer magic = ByteBuffer.allocate(2);
      channel.read(magic, slot.offsetBytes() + EXT_MAGIC_OFFSET);
      if ((magic.get(0) & 0xff) == 0x53 && (magic.get(1) & 0xff) == 0xef) {
        return FilesystemType.EXT4;
      }
    }
    throw new IOException("the current slot at " + slot.path() + " holds neither ext4 nor xfs");
  }
}
