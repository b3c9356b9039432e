package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the key bytes a requirement's {@link KeySource} names, bounded in size. */
final class KeySourceReader {

  /**
   * One key file or inline key.
   *
   * @param origin for messages: the file, or {@code keyData} / {@code keyDatas[2]}
   */
  record KeyBytes(String origin, byte[] bytes) {}

  private KeySourceReader() {}

  /**
   * @param maxBytes the largest key file of this kind
   * @param context for messages, e.g. {@code the signedBy requirement of policy scope "docker: x"}
   * @throws BootjException ({@link BootjException.Kind#SYSTEM}) when a file cannot be read or is too big
   */
  static List<KeyBytes> read(KeySource source, int maxBytes, String context) throws BootjException {
    List<KeyBytes> keys = new ArrayList<>();
    if (source instanceof KeySource.Files files) {
      for (Path path : files.paths()) {
        keys.add(new KeyBytes(path.toString(), readFile(path, maxBytes, files.field(), context)));
      }
    } else {
      KeySource.Inline inline = (KeySource.Inline) source;
      List<byte[]> data = inline.keys();
      for (int i = 0; i < data.size(); i++) {
        String origin = data.size() == 1 && inline.field().equals("keyData") ? "keyData" : inline.field() + "[" + i + "]";
        keys.add(new KeyBytes(origin, data.get(i)));
      }
    }
    return keys;
  }

  private static byte[] readFile(Path path, int maxBytes, String field, String context) throws BootjException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "the key file " + path + " (" + field + " of " + context
          + ") does not exist; install the public key there or fix the path in the policy", e);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read the key file " + path + " (" + field + " of "
          + context + "): " + e.getMessage() + "; check its permissions", e);
    }
    if (bytes.length > maxBytes) {
      throw new BootjException(BootjException.Kind.SYSTEM, "the key file " + path + " (" + field + " of " + context
          + ") is larger than " + maxBytes + " bytes; name a file holding only the trusted public keys");
    }
    return bytes;
  }
}
