package dev.bootj.oci.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Writes tar archives byte by byte for tests, including ones no normal tool would make: any name
 * (raw bytes too), any type, binary PAX xattrs, GNU long names, base-256 numbers, whiteouts.
 *
 * <p>Each adder returns the {@link Entry}, which can be adjusted until {@link #build()}:
 * {@code tar.file("bin/ping", "x").mode(04755).owner(0, 0).xattr("security.capability", caps)}.
 */
public final class TarBuilder {

  /** 2020-09-13, so a test can tell restored mtimes from "now". */
  public static final long DEFAULT_MTIME = 1_600_000_000L;

  private final List<Object> items = new ArrayList<>();

  /** One tar member and how to encode it. */
  public static final class Entry {
    private byte[] name;
    private byte type;
    private int mode;
    private long uid;
    private long gid;
    private long mtimeSeconds = DEFAULT_MTIME;
    private int mtimeNanos;
    private byte[] content = new byte[0];
    private byte[] linkName = new byte[0];
    private long devMajor;
    private long devMinor;
    private final Map<String, byte[]> pax = new LinkedHashMap<>();
    private boolean gnuLongNames;
    private boolean paxIds;

    private Entry(byte[] name, byte type, int mode) {
      this.name = name;
      this.type = type;
      this.mode = mode;
    }

    public Entry mode(int mode) {
      this.mode = mode;
      return this;
    }

    /** Numeric owner; values above the octal field's range are written base-256. */
    public Entry owner(long uid, long gid) {
      this.uid = uid;
      this.gid = gid;
      return this;
    }

    /** Puts uid and gid in PAX records instead of the header. */
    public Entry paxOwner() {
      this.paxIds = true;
      return this;
    }

    public Entry mtime(long seconds) {
      return mtime(seconds, 0);
    }

    /** Nanoseconds other than 0 are written as a PAX mtime record. */
    public Entry mtime(long seconds, int nanos) {
      this.mtimeSeconds = seconds;
      this.mtimeNanos = nanos;
      return this;
    }

    /** A SCHILY.xattr record: the value bytes go into the archive unchanged. */
    public Entry xattr(String name, byte[] value) {
      pax.put("SCHILY.xattr." + name, value);
      return this;
    }

    public Entry xattr(String name, String value) {
      return xattr(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** libarchive's spelling: the value base64-encoded. */
    public Entry libarchiveXattr(String name, byte[] value) {
      pax.put("LIBARCHIVE.xattr." + name, Base64.getEncoder().encode(value));
      return this;
    }

    /** Any PAX record, e.g. GNU.sparse.map, for archives the unpacker must refuse. */
    public Entry pax(String key, String value) {
      pax.put(key, value.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** Long names and link targets as GNU 'L'/'K' entries rather than PAX records. */
    public Entry gnuLongNames() {
      this.gnuLongNames = true;
      return this;
    }

    /** Overrides the tar type flag, e.g. 'S' for a GNU sparse file. */
    public Entry type(char type) {
      this.type = (byte) type;
      return this;
    }

    public Entry content(byte[] content) {
      this.content = content;
      return this;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Entry add(Entry entry) {
    items.add(entry);
    return entry;
  }

  public Entry file(String name, String content) {
    return file(name, utf8(content));
  }

  public Entry file(String name, byte[] content) {
    return add(new Entry(utf8(name), (byte) '0', 0644).content(content));
  }

  public Entry dir(String name) {
    return add(new Entry(utf8(name.endsWith("/") ? name : name + "/"), (byte) '5', 0755));
  }

  public Entry symlink(String name, String target) {
    Entry entry = add(new Entry(utf8(name), (byte) '2', 0777));
    entry.linkName = utf8(target);
    return entry;
  }

  public Entry hardlink(String name, String target) {
    Entry entry = add(new Entry(utf8(name), (byte) '1', 0644));
    entry.linkName = utf8(target);
    return entry;
  }

  public Entry fifo(String name) {
    return add(new Entry(utf8(name), (byte) '6', 0644));
  }

  public Entry charDevice(String name, long major, long minor) {
    Entry entry = add(new Entry(utf8(name), (byte) '3', 0666));
    entry.devMajor = major;
    entry.devMinor = minor;
    return entry;
  }

  public Entry blockDevice(String name, long major, long minor) {
    Entry entry = add(new Entry(utf8(name), (byte) '4', 0660));
    entry.devMajor = major;
    entry.devMinor = minor;
    return entry;
  }

  /** {@code dir/.wh.name} for the path {@code dir/name}. */
  public Entry whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String marker = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return file(marker, new byte[0]);
  }

  /** {@code dir/.wh..wh..opq}. */
  public Entry opaque(String dir) {
    return file((dir.isEmpty() ? "" : dir.endsWith("/") ? dir : dir + "/") + ".wh..wh..opq", new byte[0]);
  }

  /** A regular file whose name is the given bytes, valid UTF-8 or not. */
  public Entry fileWithRawName(byte[] name, byte[] content) {
    return add(new Entry(name, (byte) '0', 0644).content(content));
  }

  /** A PAX global header ('g'); its records apply to all later entries. */
  public TarBuilder globalPax(String key, String value) {
    Map<String, byte[]> records = new LinkedHashMap<>();
    records.put(key, utf8(value));
    items.add(records);
    return this;
  }

  /** The archive with its two end-of-archive blocks. */
  public byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(buildWithoutEnd());
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  /** The archive as some writers leave it: members only, then EOF. */
  public byte[] buildWithoutEnd() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object item : items) {
      if (item instanceof Entry) {
        writeEntry(out, (Entry) item);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, byte[]> records = (Map<String, byte[]>) item;
        writeExtension(out, (byte) 'g', "pax_global_header", paxBody(records));
      }
    }
    return out.toByteArray();
  }

  /**
   * The archive as umoci's {@code insert FILE PATH} leaves it: it stops right after the last
   * entry's data, with neither the padding to a whole block nor the end-of-archive blocks.
   */
  public byte[] buildEndingRightAfterData() {
    byte[] tar = buildWithoutEnd();
    Object last = items.get(items.size() - 1);
    if (!(last instanceof Entry) || ((Entry) last).content.length % 512 == 0) {
      throw new IllegalStateException("the last entry must be a file whose data needs padding");
    }
    int padding = 512 - ((Entry) last).content.length % 512;
    return Arrays.copyOf(tar, tar.length - padding);
  }

  private static void writeEntry(ByteArrayOutputStream out, Entry e) {
    Map<String, byte[]> pax = new LinkedHashMap<>();
    byte[] name = e.name;
    byte[] link = e.linkName;
    if (name.length > 100) {
      if (e.gnuLongNames) {
        writeExtension(out, (byte) 'L', "././@LongLink", nulTerminated(name));
      } else {
        pax.put("path", name);
      }
      name = Arrays.copyOf(name, 100);
    }
    if (link.length > 100) {
      if (e.gnuLongNames) {
        writeExtension(out, (byte) 'K', "././@LongLink", nulTerminated(link));
      } else {
        pax.put("linkpath", link);
      }
      link = Arrays.copyOf(link, 100);
    }
    if (e.mtimeNanos != 0) {
      pax.put("mtime", utf8(e.mtimeSeconds + "." + String.format("%09d", e.mtimeNanos)));
    }
    if (e.paxIds) {
      pax.put("uid", utf8(Long.toString(e.uid)));
      pax.put("gid", utf8(Long.toString(e.gid)));
    }
    pax.putAll(e.pax);
    if (!pax.isEmpty()) {
      writeExtension(out, (byte) 'x', "PaxHeaders/entry", paxBody(pax));
    }
    byte[] header = new byte[512];
    System.arraycopy(name, 0, header, 0, name.length);
    numeric(header, 100, 8, e.mode);
    numeric(header, 108, 8, e.paxIds ? 0 : e.uid);
    numeric(header, 116, 8, e.paxIds ? 0 : e.gid);
    numeric(header, 124, 12, e.content.length);
    numeric(header, 136, 12, e.mtimeSeconds);
    header[156] = e.type;
    System.arraycopy(link, 0, header, 157, link.length);
    writeMagic(header, e.gnuLongNames);
    numeric(header, 329, 8, e.devMajor);
    numeric(header, 337, 8, e.devMinor);
    finishHeader(out, header);
    writePadded(out, e.content);
  }

  private static void writeExtension(ByteArrayOutputStream out, byte type, String name, byte[] body) {
    byte[] header = new byte[512];
    byte[] nameBytes = utf8(name);
    System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
    numeric(header, 100, 8, 0644);
    numeric(header, 108, 8, 0);
    numeric(header, 116, 8, 0);
    numeric(header, 124, 12, body.length);
    numeric(header, 136, 12, 0);
    header[156] = type;
    writeMagic(header, type == 'L' || type == 'K');
    finishHeader(out, header);
    writePadded(out, body);
  }

  private static void writeMagic(byte[] header, boolean gnu) {
    byte[] magic = gnu ? utf8("ustar  \0") : utf8("ustar\u000000");
    System.arraycopy(magic, 0, header, 257, 8);
  }

  private static void finishHeader(ByteArrayOutputStream out, byte[] header) {
    Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    numeric(header, 148, 7, sum);
    header[155] = ' ';
    out.writeBytes(header);
  }

  /** Octal when it fits the field (leaving room for the NUL), base-256 otherwise, as GNU tar does. */
  private static void numeric(byte[] header, int offset, int length, long value) {
    String octal = Long.toOctalString(value);
    if (value >= 0 && octal.length() <= length - 1) {
      int pad = length - 1 - octal.length();
      for (int i = 0; i < pad; i++) {
        header[offset + i] = '0';
      }
      for (int i = 0; i < octal.length(); i++) {
        header[offset + pad + i] = (byte) octal.charAt(i);
      }
      header[offset + length - 1] = 0;
      return;
    }
    long v = value;
    for (int i = length - 1; i >= 1; i--) {
      header[offset + i] = (byte) v;
      v >>= 8;
    }
    header[offset] = (byte) (value < 0 ? 0xff : 0x80);
  }

  private static byte[] paxBody(Map<String, byte[]> records) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      byte[] key = utf8(record.getKey());
      int fixed = key.length + record.getValue().length + 3; // ' ', '=', '\n'
      int length = fixed + Integer.toString(fixed).length();
      if (Integer.toString(length).length() != Integer.toString(fixed).length()) {
        length = fixed + Integer.toString(length).length();
      }
      body.writeBytes(utf8(length + " "));
      body.writeBytes(key);
      body.write('=');
      body.writeBytes(record.getValue());
      body.write('\n');
    }
    return body.toByteArray();
  }

  private static byte[] nulTerminated(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length + 1);
  }

  private static void writePadded(ByteArrayOutputStream out, byte[] data) {
    out.writeBytes(data);
    int padding = (512 - data.length % 512) % 512;
    out.writeBytes(new byte[padding]);
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Gzip as several concatenated members, as pigz-style and some registry tools write it. */
  public static byte[] gzipMultiMember(byte[] data, int members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int chunk = Math.max(1, (data.length + members - 1) / members);
    for (int start = 0; start < data.length; start += chunk) {
      out.writeBytes(gzip(Arrays.copyOfRange(data, start, Math.min(data.length, start + chunk))));
    }
    return out.toByteArray();
  }

  public static byte[] zstd(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdCompressorOutputStream zstd = new ZstdCompressorOutputStream(out)) {
      zstd.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
