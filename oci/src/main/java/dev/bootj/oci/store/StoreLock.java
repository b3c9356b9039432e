package dev.bootj.oci.store;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A held lock on a store, released when closed or when the process dies. Between processes it is
 * an fcntl lock on the store's lock file. Within one JVM the operating system cannot tell threads
 * apart (and Java refuses overlapping locks), so shared holders in this JVM share one OS lock,
 * counted here.
 */
public final class StoreLock implements AutoCloseable {

  private static final Map<Path, Held> HELD = new HashMap<>();

  private static final class Held {
    final FileChannel channel;
    final FileLock lock;
    int holders;

    Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }
  }

  private final Path file;
  private boolean closed;

  private StoreLock(Path file) {
    this.file = file;
  }

  static StoreLock acquire(Path file, boolean exclusive, String storeName) throws IOException {
    synchronized (HELD) {
      Held held = HELD.get(file);
      if (held != null) {
        if (exclusive || !held.lock.isShared()) {
          throw busy(exclusive, storeName);
        }
        held.holders++;
        return new StoreLock(file);
      }
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock lock;
      try {
        lock = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw busy(exclusive, storeName);
      }
      Held newHeld = new Held(channel, lock);
      newHeld.holders = 1;
      HELD.put(file, newHeld);
      return new StoreLock(file);
    }
  }

  private static BootjException busy(boolean exclusive, String storeName) {
    return new BootjException(BootjException.Kind.SYSTEM,
        "another bootj is " + (exclusive ? "using" : "pruning") + " the store " + storeName + "; try again when it has finished");
  }

  @Override
  public void close() throws IOException {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(file);
      if (held != null && --held.holders == 0) {
        HELD.remove(file);
        try {
          held.lock.release();
        } finally {
          held.channel.close();
        }
      }
    }
  }
}
