package dev.bootj.oci.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands bytes from a downloading thread to an unpacking thread in large blocks, so each side runs
 * on its own core and memory stays bounded ({@code blocks * blockSize} in flight, recycled). Either
 * side can fail the pipe; the other then gets an IOException instead of waiting forever.
 */
public final class BlockPipe {

  private static final byte[] END = new byte[0];

  private final int blockSize;
  private final BlockingQueue<Block> full;
  private final BlockingQueue<byte[]> free;
  private volatile IOException failure;
  private final OutputStream sink = newSink();
  private final InputStream source = newSource();

  private record Block(byte[] data, int length) {}

  public BlockPipe(int blocks, int blockSize) {
    this.blockSize = blockSize;
    this.full = new ArrayBlockingQueue<>(blocks + 1);
    this.free = new ArrayBlockingQueue<>(blocks);
  }

  /** Makes both ends throw {@code cause} from now on. */
  public void fail(IOException cause) {
    if (failure == null) {
      failure = cause;
    }
    full.clear();
    full.offer(new Block(END, -1));
    free.offer(new byte[0]);
  }

  /** The first failure either side reported, or null. */
  public IOException failure() {
    return failure;
  }

  private void checkFailure() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException("the other side of the layer stream failed: " + f.getMessage(), f);
    }
  }

  /** The writing end (one per pipe); closing it marks the end of the stream. */
  public OutputStream sink() {
    return sink;
  }

  /** The reading end (one per pipe). */
  public InputStream source() {
    return source;
  }

  private OutputStream newSink() {
    return new OutputStream() {
      private byte[] current;
      private int used;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          checkFailure();
          if (current == null) {
            current = takeFree();
            used = 0;
          }
          int n = Math.min(len, current.length - used);
          System.arraycopy(b, off, current, used, n);
          used += n;
          off += n;
          len -= n;
          if (used == current.length) {
            flushBlock();
          }
        }
      }

      private byte[] takeFree() throws IOException {
        byte[] block = free.poll();
        return block != null && block.length == blockSize ? block : new byte[blockSize];
      }

      private void flushBlock() throws IOException {
        put(new Block(current, used));
        current = null;
      }

      @Override
      public void close() throws IOException {
        if (current != null && used > 0) {
          flushBlock();
        }
        put(new Block(END, -1));
      }

      private void put(Block block) throws IOException {
        try {
          full.put(block);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while streaming a layer");
        }
        checkFailure();
      }
    };
  }

  private InputStream newSource() {
    return new InputStream() {
      private Block current;
      private int position;
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (current == null || position == current.length()) {
          if (ended) {
            return -1;
          }
          if (current != null) {
            free.offer(current.data());
            current = null;
          }
          Block next;
          try {
            next = full.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while unpacking a layer");
          }
          checkFailure();
          if (next.length() < 0) {
            ended = true;
            return -1;
          }
          current = next;
          position = 0;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.data(), position, b, off, n);
        position += n;
        return n;
      }
    };
  }
}
