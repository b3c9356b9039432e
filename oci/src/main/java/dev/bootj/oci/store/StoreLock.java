package dev.bootj.oci.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/** A held lock on a store; released when closed or when the process dies. */
public final class StoreLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
