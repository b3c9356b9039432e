package dev.bootj.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The test harness itself: the locally built registry starts, answers, and accepts a push. */
@Testcontainers
class TestRegistryIT {

    @Container
    static final TestRegistry REGISTRY = new TestRegistry();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersTheV2Ping() throws Exception {
        HttpResponse<String> response = get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
    }

    @Test
    void referencesNameThePublishedLoopbackPort() {
        assertThat(REGISTRY.reference("bootj/x:1")).isEqualTo("localhost:" + REGISTRY.hostPort() + "/bootj/x:1");
    }

    @Test
    void skopeoPushesAnOciLayoutIntoIt(@TempDir Path tmp) throws Exception {
        // An empty image made by the other reference tool keeps this test independent of bootj.
        Path layout = tmp.resolve("layout");
        exec("umoci", "init", "--layout", layout.toString());
        exec("umoci", "new", "--image", layout + ":1");

        String pushed = Skopeo.push(layout, "1", REGISTRY, "bootj/smoke:1");

        assertThat(pushed).isEqualTo(REGISTRY.reference("bootj/smoke:1"));
        HttpResponse<String> tags = get("/v2/bootj/smoke/tags/list");
        assertThat(tags.statusCode()).isEqualTo(200);
        assertThat(tags.body()).contains("\"1\"");
    }

    @Test
    void skopeoFailuresSayWhatFailed(@TempDir Path tmp) {
        assertThatThrownBy(() -> Skopeo.copy("docker://" + REGISTRY.reference("bootj/absent:1"), "oci:" + tmp + ":1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("skopeo ")
                .hasMessageContaining("failed (exit 1)")
                .hasMessageContaining("bootj/absent:1")
                .hasMessageContaining("manifest unknown");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(REGISTRY.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(process.exitValue()).as("%s exit code; output:%n%s", List.of(command), output).isZero();
    }
}
