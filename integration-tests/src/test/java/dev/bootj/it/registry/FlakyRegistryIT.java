package dev.bootj.it.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.it.registry.FaultyRegistryProxy.Fault;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * bootj image pull through a proxy that breaks the registry on purpose: busy answers (503), cut
 * downloads, a registry that ignores Range, and one that never recovers. The image is pushed by
 * skopeo and its digest read back by skopeo; bootj checks every blob against its digest, so a pull
 * that succeeds has the registry's exact bytes.
 */
@Testcontainers
class FlakyRegistryIT {

  @Container
  static final TestRegistry REGISTRY = new TestRegistry();

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final String IMAGE = "flaky/os:1";
  private static final int LAYERS = 3;
  private static final int LAYER_FILE_BYTES = 3 * 1024 * 1024;

  @TempDir
  static Path work;

  private static String digest;
  private static long blobBytes;

  @BeforeAll
  static void pushAnImageOfIncompressibleLayers() throws Exception {
    Path layout = work.resolve("layout");
    HostCommand.run(MINUTE, List.of("umoci", "init", "--layout", layout.toString()));
    HostCommand.run(MINUTE, List.of("umoci", "new", "--image", layout + ":1"));
    Random random = new Random(13);
    for (int i = 0; i < LAYERS; i++) {
      byte[] noise = new byte[LAYER_FILE_BYTES];
      random.nextBytes(noise);
      Path file = Files.write(work.resolve("noise" + i), noise);
      HostCommand.run(MINUTE, List.of("umoci", "insert", "--image", layout + ":1", file.toString(), "/noise" + i));
    }
    Skopeo.push(layout, "1", REGISTRY, IMAGE);
    digest = HostCommand.run(MINUTE, List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
        "docker://" + REGISTRY.reference(IMAGE))).strip();
    JsonNode manifest = new ObjectMapper().readTree(HostCommand.run(MINUTE, List.of("skopeo", "inspect", "--raw",
        "--tls-verify=false", "docker://" + REGISTRY.reference(IMAGE))));
    blobBytes = manifest.path("config").path("size").asLong();
    for (JsonNode layer : manifest.path("layers")) {
      blobBytes += layer.path("size").asLong();
    }
  }

  @Test
  void busyAnswersToEveryFirstRequestAreRetried() throws Exception {
    try (FaultyRegistryProxy proxy = new FaultyRegistryProxy(REGISTRY.hostAndPort(), Fault.FIRST_REQUEST_503)) {
      Bootj.Result pull = pull(proxy, "--retry-delay", "50ms");
      assertThat(pull.exitCode()).as(pull.toString()).isZero();
      System.out.print("first request 503:\n" + pull.err());
      assertThat(json(pull).get("digest").asText()).isEqualTo(digest);
      // the manifest, the config and every layer: each answered 503 once, each retried once
      assertThat(proxy.served503()).isEqualTo(2 + LAYERS);
      assertThat(pull.err()).contains("manifest of " + proxy.hostAndPort() + "/flaky/os:1: 503 Service Unavailable, retrying in 50 ms (1 of 5)");
      assertThat(pull.err().lines().filter(l -> l.contains("503 Service Unavailable, retrying")).count()).isEqualTo(2 + LAYERS);
      assertThat(pull.err().lines().filter(l -> l.matches("bootj: layer [1-3]/3: 503 .*")).count()).isEqualTo(LAYERS);
    }
  }

  @Test
  void aCutDownloadResumesWhereItStopped() throws Exception {
    try (FaultyRegistryProxy proxy = new FaultyRegistryProxy(REGISTRY.hostAndPort(), Fault.CUT_BLOBS_AT_HALF)) {
      Bootj.Result pull = pull(proxy, "--retry-delay", "10ms");
      assertThat(pull.exitCode()).as(pull.toString()).isZero();
      assertThat(json(pull).get("digest").asText()).isEqualTo(digest);
      assertThat(proxy.cuts()).isEqualTo(1 + LAYERS);
      assertThat(proxy.partialContent()).as("the rest of each blob came as 206").isEqualTo(1 + LAYERS);
      assertThat(proxy.rangeRequests()).allMatch(r -> r.matches("(?i)range: bytes=[1-9][0-9]*-"));
      System.out.printf("cut at 50%%: %d blob bytes sent for %d blob bytes (%.3fx)%n",
          proxy.blobBodyBytes(), blobBytes, proxy.blobBodyBytes() / (double) blobBytes);
      assertThat(proxy.blobBodyBytes()).isLessThanOrEqualTo((long) (blobBytes * 1.1));
      assertThat(pull.err()).contains("resuming at");
    }
  }

  @Test
  void aRegistryThatIgnoresRangeIsReadFromTheStartAgain() throws Exception {
    try (FaultyRegistryProxy proxy = new FaultyRegistryProxy(REGISTRY.hostAndPort(), Fault.CUT_BLOBS_AT_HALF_IGNORING_RANGE)) {
      Bootj.Result pull = pull(proxy, "--retry-delay", "10ms");
      assertThat(pull.exitCode()).as(pull.toString()).isZero();
      assertThat(json(pull).get("digest").asText()).isEqualTo(digest);
      assertThat(proxy.cuts()).isEqualTo(1 + LAYERS);
      assertThat(proxy.partialContent()).isZero();
      System.out.printf("cut at 50%%, Range ignored: %d blob bytes sent for %d blob bytes (%.3fx)%n",
          proxy.blobBodyBytes(), blobBytes, proxy.blobBodyBytes() / (double) blobBytes);
      assertThat(proxy.blobBodyBytes()).isBetween((long) (blobBytes * 1.4), (long) (blobBytes * 1.6));
    }
  }

  @Test
  void aRegistryThatNeverRecoversFailsQuicklyWithOneLine() throws Exception {
    try (FaultyRegistryProxy proxy = new FaultyRegistryProxy(REGISTRY.hostAndPort(), Fault.ALWAYS_503)) {
      long started = System.nanoTime();
      Bootj.Result pull = pull(proxy, "--retry-times", "2", "--retry-delay", "10ms");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      System.out.print("always 503, --retry-times 2:\n" + pull.err());
      assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(3);
      assertThat(proxy.served503()).isEqualTo(3);
      assertThat(pull.out()).isEmpty();
      List<String> err = pull.err().lines().toList();
      assertThat(err).hasSize(3);
      assertThat(err.get(0)).endsWith("503 Service Unavailable, retrying in 10 ms (1 of 2)");
      assertThat(err.get(1)).endsWith("503 Service Unavailable, retrying in 20 ms (2 of 2)");
      assertThat(err.get(2)).startsWith("bootj: error: registry " + proxy.hostAndPort() + " answered 503 Service Unavailable")
          .contains("gave up after 2 retries").doesNotContain("Exception");
      assertThat(took).isLessThan(Duration.ofSeconds(20));
    }
  }

  private static Bootj.Result pull(FaultyRegistryProxy proxy, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("image", "pull", "--json"));
    args.addAll(List.of(options));
    args.add(proxy.hostAndPort() + "/" + IMAGE);
    return new Bootj(work.resolve("store-" + System.nanoTime())).run(args.toArray(String[]::new));
  }

  private static JsonNode json(Bootj.Result result) throws Exception {
    return new ObjectMapper().readTree(result.out());
  }
}
