package dev.bootj.it.trust;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A signature lookaside served over HTTP on loopback by Python's {@code http.server}, as a web
 * server would serve the directory {@code skopeo --sign-by} wrote to: the readers (bootj, skopeo)
 * then fetch the signatures by URL, not from the files.
 */
final class LookasideServer implements AutoCloseable {

  private final Process process;
  private final int port;

  private LookasideServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Serves {@code dir}; returns once the server answers. */
  static LookasideServer serve(Path dir, Path log) throws IOException, InterruptedException {
    int port = freePort();
    // Debian's python3: the python3 on PATH may be another build.
    Process process = new ProcessBuilder("/usr/bin/python3", "-m", "http.server", String.valueOf(port), "--bind",
        "127.0.0.1", "--directory", dir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return new LookasideServer(process, port);
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroy();
          throw new IllegalStateException("python3 -m http.server did not start: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
  }

  /** The lookaside's URL, {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
