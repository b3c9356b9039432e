package dev.bootj.oci.unpack;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the body of a PAX extended header: records of the form {@code "<len> <key>=<value>\n"}.
 * Values stay raw bytes: xattr values are binary (security.capability), and decoding them as text
 * would corrupt them.
 */
final class PaxRecords {

  private PaxRecords() {}

  static Map<String, byte[]> parse(byte[] body, String where) throws InvalidLayerException {
    Map<String, byte[]> records = new LinkedHashMap<>();
    int pos = 0;
    while (pos < body.length) {
      if (body[pos] == 0) {
        break; // some writers pad the block with NULs
      }
      int space = pos;
      long length = 0;
      while (space < body.length && body[space] >= '0' && body[space] <= '9') {
        length = length * 10 + (body[space] - '0');
        if (length > body.length) {
          throw malformed(where);
        }
        space++;
      }
      if (space == pos || space >= body.length || body[space] != ' ' || pos + length > body.length
          || length < space - pos + 3 || body[(int) (pos + length - 1)] != '\n') {
        throw malformed(where);
      }
      int end = (int) (pos + length - 1);
      int equals = -1;
      for (int i = space + 1; i < end; i++) {
        if (body[i] == '=') {
          equals = i;
          break;
        }
      }
      if (equals < 0) {
        throw malformed(where);
      }
      String key = new String(body, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      byte[] value = new byte[end - equals - 1];
      System.arraycopy(body, equals + 1, value, 0, value.length);
      records.put(key, value);
      pos = end + 1;
    }
    return records;
  }

  private static InvalidLayerException malformed(String where) {
    return new InvalidLayerException(
        "layer tar has a malformed PAX extended header " + where + "; the layer is corrupt");
  }
}
