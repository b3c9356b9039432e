package dev.bootj.oci.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one layer holds, read from its tar without writing anything: each entry's name as the
 * unpacker resolves it, its type, owner, mode, mtime, xattrs and, for a regular file, the SHA-256
 * of its content. An image's files and the difference between two images are computed from these
 * listings ({@code dev.bootj.oci.tree}) instead of from unpacked trees.
 */
public final class LayerListing {

  /** The types a layer entry can have ({@link TarReader} reads them); a hard link is its own type, as in the tar. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO
  }

  /**
   * One entry of a layer.
   *
   * @param name the name as stored, for messages
   * @param path the components of the name as the unpacker reads it (empty for the root itself)
   * @param mode permission bits (07777)
   * @param size content bytes of a regular file, else 0
   * @param symlinkTarget a symlink's target, verbatim; null for other types
   * @param hardLinkTarget the components of a hard link's target; null for other types
   * @param xattrs name to base64 value, sorted by name
   * @param contentSha256 hex SHA-256 of a regular file's content; null for other types
   */
  public record Entry(String name, List<String> path, Type type, int mode, long uid, long gid, long size,
      Instant mtime, String symlinkTarget, List<String> hardLinkTarget, long devMajor, long devMinor,
      Map<String, String> xattrs, String contentSha256) {}

  private LayerListing() {}

  /**
   * Lists an uncompressed layer tar, hashing each file's content on the way. Refuses what the
   * unpacker refuses in a name ({@link UnsafeLayerException} for a ".." above the root) and what
   * {@link TarReader} refuses in the archive.
   */
  public static List<Entry> read(InputStream tar) throws IOException {
    List<Entry> entries = new ArrayList<>();
    ContentHasher hasher = new ContentHasher();
    stream(tar, (ordinal, entry, content) -> {
      if (entry.type() == Type.FILE) {
        content.copyTo(hasher.reset(null));
        entry = withContent(entry, hasher.hex());
      }
      entries.add(entry);
    });
    return entries;
  }

  /** Receives a layer's entries in order; {@code ordinal} counts from 0, as in {@link #read}'s list. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * @param entry the entry, without {@code contentSha256}
     * @param content a regular file's content, readable once and only during this call
     */
    void entry(int ordinal, Entry entry, Content content) throws IOException;
  }

  /** The content of the entry being visited. */
  @FunctionalInterface
  public interface Content {
    /** Copies the rest of the content to {@code out}; returns the number of bytes. */
    long copyTo(WritableByteChannel out) throws IOException;
  }

  /**
   * Reads an uncompressed layer tar entry by entry, names resolved as {@link #read} resolves them,
   * handing each file's content to the visitor to copy or to skip.
   */
  public static void stream(InputStream tar, Visitor visitor) throws IOException {
    TarReader reader = new TarReader(tar);
    int ordinal = 0;
    for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
      visitor.entry(ordinal++, listed(entry), reader::copyContent);
    }
  }

  /** The listing entry of a tar entry, without {@code contentSha256}; names resolved as the unpacker resolves them. */
  static Entry listed(TarEntry entry) throws UnsafeLayerException {
    List<String> path = List.copyOf(EntryNames.components(entry.name(), entry.name()));
    Type type = entry.kind();
    Map<String, String> xattrs = new TreeMap<>();
    entry.xattrs().forEach((key, value) -> xattrs.put(key, Base64.getEncoder().encodeToString(value)));
    return new Entry(entry.name(), path, type, entry.mode(), entry.uid(), entry.gid(), entry.size(),
        entry.mtime(), type == Type.SYMLINK ? entry.linkName() : null,
        type == Type.HARDLINK ? List.copyOf(EntryNames.components(entry.linkName(), entry.name())) : null,
        entry.devMajor(), entry.devMinor(), Collections.unmodifiableMap(xattrs), null);
  }

  static Entry withContent(Entry e, String sha256) {
    return new Entry(e.name(), e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtime(), e.symlinkTarget(),
        e.hardLinkTarget(), e.devMajor(), e.devMinor(), e.xattrs(), sha256);
  }
}
