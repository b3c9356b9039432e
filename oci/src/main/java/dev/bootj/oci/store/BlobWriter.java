package dev.bootj.oci.store;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Writes one blob into a private temporary file while hashing it. {@link #commit} checks the digest,
 * fsyncs and renames the file into place; anything else (an exception, a kill) leaves at most a
 * temporary file, never a blob under a name it does not hash to.
 */
public final class BlobWriter extends OutputStream {

  private final BlobStore store;
  private final Digest expected;
  private final String description;
  private final Path temp;
  private final long expectedSize;
  private final FileChannel channel;
  private final MessageDigest sha256 = Digest.newSha256();
  // Downloads arrive in small chunks (8 KiB from jib); gathering them saves a syscall and a
  // temporary-buffer copy per chunk.
  private final ByteBuffer pending = ByteBuffer.allocateDirect(256 * 1024);
  private long size;
  private boolean sealed;
  private boolean committed;

  BlobWriter(BlobStore store, Digest expected, long expectedSize, String description, Path temp) throws IOException {
    this.store = store;
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.description = description;
    this.temp = temp;
    this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (expectedSize >= 0 && size + len > expectedSize) {
      // Stop a source that sends more than the descriptor promised instead of filling the disk.
      throw new BootjException(BootjException.Kind.INTEGRITY,
          description + " is larger than the " + expectedSize + " bytes its descriptor gives; the source is corrupt or hostile");
    }
    sha256.update(b, off, len);
    size += len;
    while (len > 0) {
      int n = Math.min(len, pending.remaining());
      pending.put(b, off, n);
      off += n;
      len -= n;
      if (!pending.hasRemaining()) {
        flushPending();
      }
    }
  }

  private void flushPending() throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      channel.write(pending);
    }
    pending.clear();
  }

  public long size() {
    return size;
  }

  /** The digest of what has been written so far; call once, after the last write. */
  private Digest actual() {
    return Digest.ofSha256(sha256.digest());
  }

  /**
   * Verifies size and digest and makes the bytes durable, without publishing them yet. Splitting
   * this from {@link #commit} lets a streaming pull fsync the blob while the unpacker is still
   * catching up, instead of after it. Idempotent.
   */
  public void seal() throws IOException {
    if (sealed) {
      return;
    }
    Digest actual = actual();
    if (expectedSize >= 0 && size != expectedSize) {
      close();
      throw new BootjException(BootjException.Kind.INTEGRITY,
          description + " has " + size + " bytes but its descriptor says " + expectedSize + "; the source is corrupt");
    }
    if (!actual.equals(expected)) {
      close();
      throw new DigestMismatchException(description, expected, actual);
    }
    flushPending();
    channel.force(true);
    channel.close();
    sealed = true;
  }

  /** Verifies, makes durable and publishes the blob. */
  public void commit() throws IOException {
    seal();
    Path target = store.blobPath(expected);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot store " + description + " in " + store.root() + ": " + e.getMessage(), e);
    }
    BlobStore.syncDirectory(target.getParent());
    committed = true;
  }


  /** Discards the temporary file unless the blob was committed. */
  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      channel.close();
    }
    if (!committed) {
      Files.deleteIfExists(temp);
    }
  }
}
