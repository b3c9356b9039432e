package dev.bootj.it.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * registries.conf as skopeo reads it: the same file sends bootj and skopeo to the same mirror,
 * relocates the same prefix, and blocks the same registry. skopeo (containers/image) is the oracle.
 */
@Testcontainers
class RegistriesConfIT {

  @Container
  static final TestRegistry REGISTRY = new TestRegistry();

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir
  static Path work;

  private static String digest;

  @BeforeAll
  static void pushAnImage() throws Exception {
    Path layout = work.resolve("layout");
    HostCommand.run(MINUTE, List.of("umoci", "init", "--layout", layout.toString()));
    HostCommand.run(MINUTE, List.of("umoci", "new", "--image", layout + ":1"));
    Skopeo.push(layout, "1", REGISTRY, "mirrored/os:1");
    digest = HostCommand.run(MINUTE, List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
        "docker://" + REGISTRY.reference("mirrored/os:1"))).strip();
  }

  @Test
  void aMirrorServesAnImageWhosePrimaryIsUnreachable() throws Exception {
    // .invalid never resolves (RFC 2606): only the mirror can answer.
    Path conf = conf("mirror.conf", """
        [[registry]]
        location = "primary.invalid"
        [[registry.mirror]]
        location = "%s"
        insecure = true
        """.formatted(REGISTRY.hostAndPort()));
    assertThat(skopeoDigest(conf, "primary.invalid/mirrored/os:1")).isEqualTo(digest);
    assertThat(bootjDigest(conf, "primary.invalid/mirrored/os:1")).isEqualTo(digest);
  }

  @Test
  void aPrefixIsRelocated() throws Exception {
    Path conf = conf("relocate.conf", """
        [[registry]]
        prefix = "apps.invalid/os"
        location = "%s/mirrored/os"
        insecure = true
        """.formatted(REGISTRY.hostAndPort()));
    assertThat(skopeoDigest(conf, "apps.invalid/os:1")).isEqualTo(digest);
    assertThat(bootjDigest(conf, "apps.invalid/os:1")).isEqualTo(digest);
  }

  @Test
  void aBlockedRegistryIsRefusedByBoth() throws Exception {
    Path conf = conf("blocked.conf", """
        [[registry]]
        location = "%s"
        blocked = true
        """.formatted(REGISTRY.hostAndPort()));
    assertThatThrownBy(() -> HostCommand.run(MINUTE, List.of("skopeo", "--registries-conf", conf.toString(),
        "inspect", "--tls-verify=false", "docker://" + REGISTRY.reference("mirrored/os:1"))))
        .hasMessageContaining("failed (exit").hasMessageContaining("blocked");

    Bootj.Result bootj = new Bootj(work.resolve("store")).run("image", "inspect", "--registries-conf", conf.toString(),
        "--json", REGISTRY.reference("mirrored/os:1"));
    assertThat(bootj.exitCode()).as(bootj.toString()).isEqualTo(3);
    assertThat(bootj.err().strip()).startsWith("bootj: error: pulling " + REGISTRY.reference("mirrored/os:1") + " is blocked by")
        .contains(conf.toString()).doesNotContain("Exception").hasLineCount(1);
  }

  private static Path conf(String name, String text) throws Exception {
    return Files.writeString(work.resolve(name), text);
  }

  private static String skopeoDigest(Path conf, String image) {
    return HostCommand.run(MINUTE, List.of("skopeo", "--registries-conf", conf.toString(), "inspect", "--no-tags", "--format", "{{.Digest}}",
        "docker://" + image)).strip();
  }

  private static String bootjDigest(Path conf, String image) throws Exception {
    Bootj.Result result = new Bootj(work.resolve("store")).run("image", "inspect", "--registries-conf", conf.toString(),
        "--json", image);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    return json.get("digest").asText();
  }
}
