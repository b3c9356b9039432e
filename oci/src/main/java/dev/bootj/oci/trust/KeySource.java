package dev.bootj.oci.trust;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a requirement's trusted public keys are: files ({@code keyPath}, {@code keyPaths}) or
 * inline, base64-decoded data ({@code keyData}, {@code keyDatas}). Exactly one field of a
 * requirement gives them; {@link #field()} names it for messages.
 */
public sealed interface KeySource {

  /** The policy.json field the keys came from. */
  String field();

  /**
   * Key files (a GPG keyring or a PEM public key each), as written in the policy.
   *
   * @param field {@code keyPath} or {@code keyPaths}
   * @param paths at least one
   */
  record Files(String field, List<Path> paths) implements KeySource {
    public Files {
      paths = List.copyOf(paths);
      if (paths.isEmpty()) {
        throw new IllegalArgumentException(field + " lists no key file");
      }
    }
  }

  /**
   * Keys given inline. Arrays are copied in and out so the policy cannot be changed afterwards;
   * {@code equals} compares identity, as for any record holding arrays.
   *
   * @param field {@code keyData} or {@code keyDatas}
   * @param keys at least one, none empty
   */
  record Inline(String field, List<byte[]> keys) implements KeySource {
    public Inline {
      List<byte[]> copies = new ArrayList<>();
      for (byte[] key : keys) {
        if (key.length == 0) {
          throw new IllegalArgumentException(field + " holds an empty key");
        }
        copies.add(key.clone());
      }
      if (copies.isEmpty()) {
        throw new IllegalArgumentException(field + " lists no key");
      }
      keys = List.copyOf(copies);
    }

    @Override
    public List<byte[]> keys() {
      return keys.stream().map(byte[]::clone).toList();
    }
  }
}
