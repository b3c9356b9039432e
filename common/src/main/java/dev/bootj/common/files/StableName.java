package dev.bootj.common.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short file name that stands for a longer text, always the same for the same text: the lock
 * and the staging directory of one disk are found again by the next run, whatever its path.
 */
public final class StableName {

  private StableName() {}

  /** The first 16 hex digits of the SHA-256 of {@code text}. */
  public static String of(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
