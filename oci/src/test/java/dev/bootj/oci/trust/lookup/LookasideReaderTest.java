package dev.bootj.oci.trust.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookasideReaderTest {

  private static final Digest DIGEST = Digest.parse("sha256:" + "ef".repeat(32));

  @TempDir Path sigs;
  private HttpServer server;
  private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
  private final Map<String, byte[]> bodyByPath = new ConcurrentHashMap<>();
  private final List<String> requested = new ArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private Path signatureDir(String repository) throws IOException {
    return Files.createDirectories(sigs.resolve(repository + "@sha256=" + DIGEST.hex()));
  }

  private List<byte[]> readFiles(String repository) throws BootjException {
    return new LookasideReader(true).read(new LookasideLocation(sigs.toUri(), repository), DIGEST);
  }

  private URI serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      synchronized (requested) {
        requested.add(path);
      }
      byte[] body = bodyByPath.getOrDefault(path, new byte[0]);
      int status = statusByPath.getOrDefault(path, bodyByPath.containsKey(path) ? 200 : 404);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/lookaside");
  }

  @Test
  void readsFilesInOrderUntilTheFirstMissingOne() throws Exception {
    Path dir = signatureDir("team/os");
    Files.write(dir.resolve("signature-1"), new byte[] {1});
    Files.write(dir.resolve("signature-2"), new byte[] {2});
    Files.write(dir.resolve("signature-4"), new byte[] {4}); // after a gap: never read, as in containers/image

    assertThat(readFiles("team/os")).containsExactly(new byte[] {1}, new byte[] {2});
  }

  @Test
  void noDirectoryMeansNoSignatures() throws Exception {
    assertThat(readFiles("team/os")).isEmpty();
  }

  @Test
  void anotherDigestsSignaturesAreNotRead() throws Exception {
    Path other = Files.createDirectories(sigs.resolve("team/os@sha256=" + "00".repeat(32)));
    Files.write(other.resolve("signature-1"), new byte[] {1});

    assertThat(readFiles("team/os")).isEmpty();
  }

  @Test
  void aSignatureLargerThan4MiBIsRefused() throws Exception {
    Files.write(signatureDir("os").resolve("signature-1"), new byte[4 * 1024 * 1024 + 1]);

    assertThatThrownBy(() -> readFiles("os"))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.INTEGRITY))
        .hasMessageContaining("is larger than 4 MiB");
  }

  @Test
  void exactly4MiBIsAccepted() throws Exception {
    Files.write(signatureDir("os").resolve("signature-1"), new byte[4 * 1024 * 1024]);

    assertThat(readFiles("os")).hasSize(1);
  }

  @Test
  void oneHundredAndTwentySevenSignaturesAreReadButNotOneHundredAndTwentyEight() throws Exception {
    Path dir = signatureDir("os");
    for (int n = 1; n <= 127; n++) {
      Files.write(dir.resolve("signature-" + n), new byte[] {(byte) n});
    }
    assertThat(readFiles("os")).hasSize(127);

    Files.write(dir.resolve("signature-128"), new byte[] {0});
    assertThatThrownBy(() -> readFiles("os")).hasMessageContaining("holds 128 signatures or more");
  }

  @Test
  void anUnreadableFileIsALocalError() throws Exception {
    Files.createDirectories(signatureDir("os").resolve("signature-1"));

    assertThatThrownBy(() -> readFiles("os"))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.SYSTEM))
        .hasMessageStartingWith("cannot read the signature " + sigs.resolve("os@sha256=" + DIGEST.hex() + "/signature-1"));
  }

  @Test
  void readsOverHttpUntilA404() throws Exception {
    URI lookaside = serve();
    String dir = "/lookaside/team/os@sha256=" + DIGEST.hex();
    bodyByPath.put(dir + "/signature-1", "first".getBytes(StandardCharsets.UTF_8));
    bodyByPath.put(dir + "/signature-2", "second".getBytes(StandardCharsets.UTF_8));

    List<byte[]> read = new LookasideReader(true).read(new LookasideLocation(lookaside, "team/os"), DIGEST);

    assertThat(read).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("first", "second");
    assertThat(requested).containsExactly(dir + "/signature-1", dir + "/signature-2", dir + "/signature-3");
  }

  @Test
  void anHttpErrorOtherThan404IsAnAccessError() throws Exception {
    URI lookaside = serve();
    statusByPath.put("/lookaside/os@sha256=" + DIGEST.hex() + "/signature-1", 500);

    assertThatThrownBy(() -> new LookasideReader(true).read(new LookasideLocation(lookaside, "os"), DIGEST))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.IMAGE_ACCESS))
        .hasMessage("the signature lookaside answered HTTP 500 for " + lookaside + "/os@sha256=" + DIGEST.hex()
            + "/signature-1; check the lookaside URL in registries.d and that the server is up");
  }

  @Test
  void anUnreachableLookasideIsOneLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    URI lookaside = URI.create("http://127.0.0.1:" + port + "/sigs");

    assertThatThrownBy(() -> new LookasideReader(true).read(new LookasideLocation(lookaside, "os"), DIGEST))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.IMAGE_ACCESS))
        .hasMessage("cannot reach the signature lookaside at " + lookaside + "/os@sha256=" + DIGEST.hex()
            + "/signature-1: connection refused; check the lookaside URL in registries.d and the network");
  }

  @Test
  void otherSchemesAreRefused() {
    assertThatThrownBy(() -> new LookasideReader(true).read(new LookasideLocation(URI.create("ftp://sigs.example/x"), "os"), DIGEST))
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.SYSTEM))
        .hasMessageContaining("has the scheme 'ftp', but signatures are read only from file, http and https URLs");
  }
}
