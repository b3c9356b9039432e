package dev.bootj.oci.unpack;

import dev.bootj.common.posix.TerminationSignals;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream entry by entry: ustar, GNU (long names and links) and PAX (extended and global
 * headers), with octal or base-256 numbers. Reads exactly the archive's bytes, through the
 * end-of-archive blocks, and never closes the stream. Like Go's archive/tar, a stream that ends
 * where a header or an entry's padding would start is a complete archive; one that ends inside a
 * header, inside an entry's data or inside its padding is truncated.
 *
 * <p>Our own reader rather than a library's because PAX values must stay bytes (binary xattrs) and
 * names must be strict UTF-8: a library that decodes leniently would silently change what we write.
 */
final class TarReader {

  private static final int BLOCK = 512;
  /** Extension headers are small; a huge one is a corrupt or hostile layer, not a real name. */
  private static final long MAX_EXTENSION_SIZE = 8L << 20;

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final byte[] buffer = new byte[1 << 20];
  /**
   * Content goes to the file from our own direct buffer: a heap buffer would make the JDK pick a
   * temporary native buffer per write, and with file sizes all over the place that churns.
   */
  private final ByteBuffer direct = ByteBuffer.allocateDirect(1 << 20);
  private final Map<String, byte[]> globalPax = new HashMap<>();
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private long contentLeft;
  private long paddingLeft;
  private boolean ended;
  private String lastName;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null after the end of the archive. Skips unread content of the previous. */
  TarEntry next() throws IOException {
    TerminationSignals.checkpoint();
    skip(contentLeft);
    contentLeft = 0;
    if (paddingLeft > 0 && !skipPaddingUnlessAtEnd(paddingLeft)) {
      ended = true;
    }
    paddingLeft = 0;
    if (ended) {
      return null;
    }
    Map<String, byte[]> pax = new HashMap<>();
    byte[] longName = null;
    byte[] longLink = null;
    boolean extensionPending = false;
    while (true) {
      int n = in.readNBytes(header, 0, BLOCK);
      if (n == 0 && !extensionPending) {
        ended = true; // EOF without end-of-archive blocks: tolerated, like most readers do
        return null;
      }
      if (n < BLOCK) {
        throw truncated();
      }
      if (isZero(header)) {
        if (extensionPending) {
          throw new InvalidLayerException(
              "layer tar ends right after an extension header" + after() + "; the layer is corrupt");
        }
        int second = in.readNBytes(header, 0, BLOCK);
        if (second == BLOCK && !isZero(header)) {
          throw new InvalidLayerException(
              "layer tar has data after an end-of-archive block" + after() + "; the layer is corrupt");
        }
        ended = true;
        return null;
      }
      verifyChecksum();
      byte type = header[156];
      long size = number(124, 12, "size");
      switch (type) {
        case 'x':
          pax.putAll(PaxRecords.parse(readExtension(size), after()));
          extensionPending = true;
          continue;
        case 'g':
          globalPax.putAll(PaxRecords.parse(readExtension(size), after()));
          // A global header stands alone; it does not announce an entry.
          continue;
        case 'L':
          longName = cString(readExtension(size));
          extensionPending = true;
          continue;
        case 'K':
          longLink = cString(readExtension(size));
          extensionPending = true;
          continue;
        default:
          return entry(type, size, pax, longName, longLink);
      }
    }
  }

  /** Copies the current entry's content to {@code out}; returns the number of bytes copied. */
  long copyContent(WritableByteChannel out) throws IOException {
    long copied = 0;
    while (contentLeft > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, contentLeft));
      if (n < 0) {
        throw truncated();
      }
      direct.clear();
      direct.put(buffer, 0, n);
      direct.flip();
      while (direct.hasRemaining()) {
        out.write(direct);
      }
      contentLeft -= n;
      copied += n;
    }
    return copied;
  }

  private TarEntry entry(
      byte type, long headerSize, Map<String, byte[]> pax, byte[] longName, byte[] longLink)
      throws IOException {
    Map<String, byte[]> records = new HashMap<>(globalPax);
    records.putAll(pax);
    records.values().removeIf(v -> v.length == 0); // an empty PAX value unsets the key

    boolean ustar = matches(257, "ustar\0");
    boolean gnu = matches(257, "ustar ");
    byte[] rawName;
    if (records.containsKey("path")) {
      rawName = records.get("path");
    } else if (longName != null) {
      rawName = longName;
    } else if (ustar && header[345] != 0) {
      // star archives end the prefix early to hold atime/ctime; they say so in the last bytes.
      int prefixLength = matches(508, "tar\0") ? 131 : 155;
      byte[] prefix = field(345, prefixLength);
      byte[] name = field(0, 100);
      rawName = new byte[prefix.length + 1 + name.length];
      System.arraycopy(prefix, 0, rawName, 0, prefix.length);
      rawName[prefix.length] = '/';
      System.arraycopy(name, 0, rawName, prefix.length + 1, name.length);
    } else {
      rawName = field(0, 100);
    }
    String name = decodeName(rawName, rawName);
    lastName = name;

    for (String key : records.keySet()) {
      if (key.startsWith("GNU.sparse.")) {
        throw sparse(name, "a PAX " + key + " record");
      }
    }
    LayerListing.Type kind;
    switch (type) {
      case '0':
      case '7':
        kind = LayerListing.Type.FILE;
        break;
      case 0:
        // Pre-POSIX archives mark directories only by a trailing slash.
        kind = name.endsWith("/") ? LayerListing.Type.DIRECTORY : LayerListing.Type.FILE;
        break;
      case '1':
        kind = LayerListing.Type.HARDLINK;
        break;
      case '2':
        kind = LayerListing.Type.SYMLINK;
        break;
      case '3':
        kind = LayerListing.Type.CHAR_DEVICE;
        break;
      case '4':
        kind = LayerListing.Type.BLOCK_DEVICE;
        break;
      case '5':
        kind = LayerListing.Type.DIRECTORY;
        break;
      case '6':
        kind = LayerListing.Type.FIFO;
        break;
      case 'S':
        throw sparse(name, "tar type 'S', old GNU sparse");
      default:
        throw new InvalidLayerException(
            "layer entry '" + name + "' has unsupported tar type '" + printable(type)
                + "'; only files, directories, links, devices and FIFOs can be unpacked");
    }

    long size = records.containsKey("size") ? decimal(records.get("size"), "size", name) : headerSize;
    if (size < 0) {
      throw new InvalidLayerException("layer entry '" + name + "' has a negative size");
    }
    long uid = records.containsKey("uid") ? decimal(records.get("uid"), "uid", name) : number(108, 8, "uid");
    long gid = records.containsKey("gid") ? decimal(records.get("gid"), "gid", name) : number(116, 8, "gid");
    Instant mtime =
        records.containsKey("mtime")
            ? paxTime(records.get("mtime"), name)
            : Instant.ofEpochSecond(number(136, 12, "mtime"));
    byte[] rawLink =
        records.containsKey("linkpath") ? records.get("linkpath")
            : longLink != null ? longLink : field(157, 100);
    String linkName = decodeName(rawLink, rawName);
    long devMajor = 0;
    long devMinor = 0;
    if (kind == LayerListing.Type.CHAR_DEVICE || kind == LayerListing.Type.BLOCK_DEVICE) {
      devMajor = records.containsKey("SCHILY.devmajor")
          ? decimal(records.get("SCHILY.devmajor"), "devmajor", name)
          : (ustar || gnu) ? number(329, 8, "devmajor") : 0;
      devMinor = records.containsKey("SCHILY.devminor")
          ? decimal(records.get("SCHILY.devminor"), "devminor", name)
          : (ustar || gnu) ? number(337, 8, "devminor") : 0;
    }
    Map<String, byte[]> xattrs = xattrs(records, name);
    int mode = (int) (number(100, 8, "mode") & 07777);

    // Like Go's archive/tar (and so umoci), only regular files carry data blocks.
    boolean hasData = kind == LayerListing.Type.FILE;
    contentLeft = hasData ? size : 0;
    paddingLeft = hasData ? (BLOCK - size % BLOCK) % BLOCK : 0;
    return new TarEntry(name, kind, mode, uid, gid, hasData ? size : 0, mtime, linkName,
        devMajor, devMinor, xattrs);
  }

  private Map<String, byte[]> xattrs(Map<String, byte[]> records, String name)
      throws InvalidLayerException {
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      String key = record.getKey();
      if (key.startsWith("SCHILY.xattr.")) {
        xattrs.put(key.substring("SCHILY.xattr.".length()), record.getValue());
      } else if (key.startsWith("LIBARCHIVE.xattr.")) {
        // libarchive percent-encodes the name and base64-encodes the value.
        String xattrName = percentDecode(key.substring("LIBARCHIVE.xattr.".length()), name);
        try {
          xattrs.putIfAbsent(xattrName, Base64.getDecoder().decode(record.getValue()));
        } catch (IllegalArgumentException e) {
          throw new InvalidLayerException(
              "layer entry '" + name + "' has an xattr " + xattrName + " that is not valid base64");
        }
      }
    }
    return xattrs;
  }

  private static String percentDecode(String s, String entry) throws InvalidLayerException {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[raw.length];
    int n = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%' && i + 2 < raw.length) {
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new InvalidLayerException("layer entry '" + entry + "' has a malformed xattr name");
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        out[n++] = raw[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private String decodeName(byte[] raw, byte[] entryName) throws InvalidLayerException {
    try {
      return utf8.decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      String shown = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(entryName)).toString();
      throw new InvalidLayerException(
          "layer entry '" + shown + "' has a name or link target that is not valid UTF-8;"
              + " such names cannot be unpacked");
    }
  }

  private static Instant paxTime(byte[] value, String name) throws InvalidLayerException {
    String text = new String(value, StandardCharsets.US_ASCII);
    try {
      boolean negative = text.startsWith("-");
      int dot = text.indexOf('.');
      String whole = dot < 0 ? text : text.substring(0, dot);
      long seconds = Long.parseLong(whole.isEmpty() || whole.equals("-") ? "0" : whole);
      long nanos = 0;
      if (dot >= 0) {
        String fraction = (text.substring(dot + 1) + "000000000").substring(0, 9);
        if (!fraction.chars().allMatch(Character::isDigit)) {
          throw new NumberFormatException(text);
        }
        nanos = Long.parseLong(fraction);
      }
      return negative ? Instant.ofEpochSecond(seconds, -nanos) : Instant.ofEpochSecond(seconds, nanos);
    } catch (NumberFormatException e) {
      throw new InvalidLayerException("layer entry '" + name + "' has a malformed PAX mtime '" + text + "'");
    }
  }

  private static long decimal(byte[] value, String what, String name) throws InvalidLayerException {
    String text = new String(value, StandardCharsets.US_ASCII);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidLayerException(
          "layer entry '" + name + "' has a malformed PAX " + what + " '" + text + "'");
    }
  }

  /** A numeric header field: octal text, or base-256 (GNU) when the high bit of the first byte is set. */
  private long number(int offset, int length, String what) throws InvalidLayerException {
    int first = header[offset] & 0xff;
    if ((first & 0x80) != 0) {
      long value = (first & 0x40) != 0 ? -1 : 0; // 0xff prefix: negative, two's complement
      value = (value << 6) | (first & 0x3f);
      for (int i = 1; i < length; i++) {
        if (((value >> 55) != 0 && (value >> 55) != -1)) {
          throw badNumber(what);
        }
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    int i = offset;
    int end = offset + length;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    boolean digits = false;
    for (; i < end; i++) {
      byte b = header[i];
      if (b >= '0' && b <= '7') {
        if (value > (Long.MAX_VALUE >> 3)) {
          throw badNumber(what);
        }
        value = (value << 3) | (b - '0');
        digits = true;
      } else if (b == ' ' || b == 0) {
        break;
      } else {
        throw badNumber(what);
      }
    }
    for (; i < end; i++) {
      if (header[i] != ' ' && header[i] != 0) {
        throw badNumber(what);
      }
    }
    return digits ? value : 0;
  }

  private InvalidLayerException badNumber(String what) {
    return new InvalidLayerException(
        "layer tar has a malformed " + what + " field in a header" + after() + "; the layer is corrupt");
  }

  private void verifyChecksum() throws InvalidLayerException {
    long stored = number(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw new InvalidLayerException(
          "layer tar has a header with a bad checksum" + after()
              + "; the layer is corrupt or not a tar archive");
    }
  }

  private byte[] readExtension(long size) throws IOException {
    if (size < 0 || size > MAX_EXTENSION_SIZE) {
      throw new InvalidLayerException(
          "layer tar has an extension header of " + size + " bytes" + after() + "; the layer is corrupt");
    }
    byte[] body = in.readNBytes((int) size);
    if (body.length < size) {
      throw truncated();
    }
    skip((BLOCK - size % BLOCK) % BLOCK);
    return body;
  }

  /**
   * Skips the padding after an entry's data. umoci's single-file layers end right after the data,
   * with neither padding nor end-of-archive blocks; Go's archive/tar, and so containerd and umoci,
   * read that as the end of the archive. Returns false in that case. Padding that starts and then
   * stops is still a truncated archive.
   */
  private boolean skipPaddingUnlessAtEnd(long count) throws IOException {
    int first = in.read(buffer, 0, (int) count);
    if (first < 0) {
      return false;
    }
    skip(count - first);
    return true;
  }

  private void skip(long count) throws IOException {
    while (count > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, count));
      if (n < 0) {
        throw truncated();
      }
      count -= n;
    }
  }

  private byte[] field(int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    byte[] value = new byte[end - offset];
    System.arraycopy(header, offset, value, 0, value.length);
    return value;
  }

  private static byte[] cString(byte[] body) {
    int end = 0;
    while (end < body.length && body[end] != 0) {
      end++;
    }
    byte[] value = new byte[end];
    System.arraycopy(body, 0, value, 0, end);
    return value;
  }

  private boolean matches(int offset, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (header[offset + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String printable(byte type) {
    return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type & 0xff);
  }

  // The OCI image spec says layers SHOULD NOT hold sparse files, and bootj cannot apply one.
  private InvalidLayerException sparse(String name, String how) {
    return new InvalidLayerException("layer entry '" + name + "' is a sparse file (" + how + "), which bootj cannot"
        + " unpack; rebuild the layer without sparse files (GNU tar without --sparse)");
  }

  private InvalidLayerException truncated() {
    return new InvalidLayerException(
        "layer tar is truncated" + after() + "; the download or the file is incomplete");
  }

  private String after() {
    return lastName == null ? " at its first entry" : " after entry '" + lastName + "'";
  }
}
