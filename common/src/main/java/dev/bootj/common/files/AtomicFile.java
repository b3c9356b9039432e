package dev.bootj.common.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Replaces a file so that a crash or power loss at any instant leaves either the old content or
 * the new, never a mix or an empty file: the new content goes to a temporary file beside the
 * target, is fsynced, renamed over the target, and the directory is fsynced so the rename itself
 * is on the disk.
 *
 * <p>The temporary file's name ends in {@link #TEMPORARY_SUFFIX}, which nothing that reads these
 * directories takes for one of its files (systemd-boot reads only {@code *.conf} entries).
 */
public final class AtomicFile {

  public static final String TEMPORARY_SUFFIX = ".bootj-new";

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFile() {}

  public static void write(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * For a file only one process writes at a time (its writer holds bootj's lock): the temporary
   * name is fixed, so what a killed run left behind is simply overwritten by the next one.
   */
  public static void write(Path target, byte[] content) throws IOException {
    replace(target, temporaryFor(target), content);
  }

  /**
   * For a file that several processes may replace at the same moment without a lock (image
   * records in a store that concurrent pulls share): each write has a temporary name of its own,
   * so no writer renames another's half-written file; the last rename wins, and every reader sees
   * one whole version. A failed write removes its temporary file.
   */
  public static void writeUnlocked(Path target, byte[] content) throws IOException {
    Path temporary = target.resolveSibling(
        target.getFileName() + "." + Long.toHexString(RANDOM.nextLong() >>> 1) + TEMPORARY_SUFFIX);
    try {
      replace(target, temporary, content);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void replace(Path target, Path temporary, byte[] content) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(directory);
  }

  /** Where {@link #write} puts the new content before the rename. */
  public static Path temporaryFor(Path target) {
    return target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
  }

  /**
   * Makes the directory's entries (a rename, a new or deleted file) durable. Filesystems that
   * cannot open a directory for that (FAT on some kernels) are synced with their files instead.
   */
  public static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
    }
  }
}
