package dev.bootj.oci.registry;

import dev.bootj.common.posix.TerminationSignals;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Keeps the caller's stream open after jib is done with it, and remembers the first failure of the stream a download writes into, so that it can be told apart
 * from a failure of the download itself after the HTTP stack has wrapped it.
 */
final class SinkGuard extends FilterOutputStream {

  private IOException ownFailure;
  private RuntimeException ownRuntimeFailure;

  SinkGuard(OutputStream sink) {
    super(sink);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      TerminationSignals.checkpoint();
      out.write(b, off, len);
    } catch (IOException e) {
      ownFailure = e;
      throw e;
    } catch (RuntimeException e) {
      ownRuntimeFailure = e;
      throw e;
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** jib closes the stream it wrote into; the caller still has to verify and commit it. */
  @Override
  public void close() throws IOException {
    flush();
  }

  void rethrowOwnFailure() throws IOException {
    if (ownFailure != null) {
      throw ownFailure;
    }
    if (ownRuntimeFailure != null) {
      throw ownRuntimeFailure;
    }
  }
}
