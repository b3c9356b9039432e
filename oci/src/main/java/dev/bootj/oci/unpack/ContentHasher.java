package dev.bootj.oci.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A sink for {@link TarReader#copyContent} that hashes a file's content with SHA-256 and, when it
 * has a destination, writes it there too: the unpacker lists a layer in the same pass that writes it.
 */
final class ContentHasher implements WritableByteChannel {

  private final MessageDigest sha256;
  private WritableByteChannel destination;

  ContentHasher() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Starts the next file; its bytes go to {@code destination} too, unless it is null. */
  ContentHasher reset(WritableByteChannel destination) {
    sha256.reset();
    this.destination = destination;
    return this;
  }

  /** The hex SHA-256 of what was written since {@link #reset}. */
  String hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    if (destination == null) {
      int n = source.remaining();
      sha256.update(source);
      return n;
    }
    ByteBuffer hashed = source.duplicate();
    int n = destination.write(source);
    hashed.limit(hashed.position() + n);
    sha256.update(hashed);
    return n;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
