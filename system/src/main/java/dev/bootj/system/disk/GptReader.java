package dev.bootj.system.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads the primary GPT of a disk or image, read-only, so status can find bootj's partitions
 * without any tool's text output to parse. Tries 512-byte sectors, then 4096 (4Kn disks).
 */
public final class GptReader {

  /** One used entry of the partition table. */
  public record Entry(int number, UUID type, UUID partUuid, long offsetBytes, long sizeBytes, String name) {}

  private static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);

  public List<Entry> read(Path disk) throws IOException {
    try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ)) {
      for (int sector : new int[] {512, 4096}) {
        ByteBuffer header = readAt(channel, sector, 92);
        if (header != null && hasSignature(header)) {
          return entries(channel, header, sector);
        }
      }
    }
    throw new IOException(disk + " has no GPT partition table");
  }

  private static List<Entry> entries(FileChannel channel, ByteBuffer header, int sector) throws IOException {
    long entriesLba = header.getLong(72);
    int count = header.getInt(80);
    int size = header.getInt(84);
    if (count <= 0 || count > 1024 || size < 128 || size > 4096) {
      throw new IOException("implausible GPT header (" + count + " entries of " + size + " bytes)");
    }
    ByteBuffer table = readAt(channel, entriesLba * sector, count * size);
    if (table == null) {
      throw new IOException("the GPT's partition entries lie beyond the end of the disk");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int base = i * size;
      UUID type = guid(table, base);
      if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
        continue;
      }
      long first = table.getLong(base + 32);
      long last = table.getLong(base + 40);
      byte[] name = new byte[72];
      table.get(base + 56, name);
      String text = new String(name, StandardCharsets.UTF_16LE);
      int end = text.indexOf('\0');
      entries.add(new Entry(i + 1, type, guid(table, base + 16), first * sector, (last - first + 1) * sector,
          end < 0 ? text : text.substring(0, end)));
    }
    return entries;
  }

  // GUIDs on disk store their first three fields little-endian and the last two as bytes.
  static UUID guid(ByteBuffer buffer, int at) {
    ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long a = b.getInt(at) & 0xffffffffL;
    long c = b.getShort(at + 4) & 0xffffL;
    long d = b.getShort(at + 6) & 0xffffL;
    long high = (a << 32) | (c << 16) | d;
    long low = 0;
    for (int i = 8; i < 16; i++) {
      low = (low << 8) | (buffer.get(at + i) & 0xff);
    }
    return new UUID(high, low);
  }

  private static boolean hasSignature(ByteBuffer header) {
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (header.get(i) != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        return null;
      }
    }
    return buffer.flip();
  }
}
