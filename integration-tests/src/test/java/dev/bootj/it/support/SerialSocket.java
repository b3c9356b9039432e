package dev.bootj.it.support;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The host end of a guest serial port that QEMU serves on a unix socket ({@code -chardev
 * socket,server=on,wait=off}). A reader thread hands every line the guest writes to a
 * consumer. QEMU keeps its listening socket for the life of the process, across guest
 * reboots; should the connection drop anyway, the reader connects again.
 *
 * <p>While no client is connected QEMU drops what the guest writes, so connect before the
 * guest boots. Lines are decoded as ISO-8859-1, which maps every byte, so firmware escape
 * sequences cannot make decoding fail.
 */
final class SerialSocket implements AutoCloseable {

  private static final Duration RETRY = Duration.ofMillis(200);

  private final Path path;
  private final Consumer<String> lines;
  private final Thread reader;
  private final Object lock = new Object();
  private SocketChannel channel;
  private volatile boolean closed;

  SerialSocket(Path path, Consumer<String> lines) {
    this.path = path;
    this.lines = lines;
    this.reader = new Thread(this::readForever, "serial-" + path.getFileName());
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits until the socket is connected (QEMU creates it a moment after it starts). */
  void awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (channel == null) {
        long left = deadline - System.nanoTime();
        if (closed || left <= 0) {
          throw new IllegalStateException("cannot connect to " + path);
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Writes {@code text} to the guest's serial port. */
  void write(String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    synchronized (lock) {
      if (channel == null) {
        throw new IOException("not connected to " + path);
      }
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    synchronized (lock) {
      closeChannel();
    }
    reader.join(5_000);
  }

  private void readForever() {
    while (!closed) {
      try (SocketChannel connected = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        connected.connect(UnixDomainSocketAddress.of(path));
        synchronized (lock) {
          channel = connected;
          lock.notifyAll();
        }
        readLines(connected);
      } catch (IOException e) {
        // Not there yet, or dropped: try again below unless closed.
      } finally {
        synchronized (lock) {
          channel = null;
        }
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void readLines(SocketChannel connected) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    StringBuilder line = new StringBuilder();
    while (connected.read(buffer) >= 0) {
      buffer.flip();
      while (buffer.hasRemaining()) {
        char c = (char) (buffer.get() & 0xff);
        if (c == '\n') {
          lines.accept(line.toString());
          line.setLength(0);
        } else if (c != '\r') {
          line.append(c);
        }
      }
      buffer.clear();
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing only to stop the reader.
      }
    }
  }
}
