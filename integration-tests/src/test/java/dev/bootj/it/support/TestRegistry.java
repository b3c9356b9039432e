package dev.bootj.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;

/**
 * A real CNCF distribution registry in a container, for tests that push and pull images.
 *
 * <p>No registry image can be pulled on the machines this project runs on, so the image is
 * built locally, {@code FROM scratch}, out of the host's {@code /usr/bin/docker-registry}
 * (Debian's {@code docker-registry} package) and the shared libraries {@code ldd} reports
 * for it. Docker's build cache makes every build after the first one instant.
 *
 * <p>The registry listens on plain HTTP; Testcontainers publishes it on a random port of
 * the host's loopback, so clients address it as {@code localhost:PORT}.
 *
 * <pre>{@code
 * try (TestRegistry registry = new TestRegistry()) {
 *     registry.start();
 *     String ref = registry.reference("bootj/test:1");   // localhost:PORT/bootj/test:1
 * }
 * }</pre>
 */
public final class TestRegistry extends GenericContainer<TestRegistry> {

    /** Where the registry listens inside the container. */
    public static final int CONTAINER_PORT = 5000;

    static final String IMAGE_NAME = "bootj/test-registry:local";

    private static final Path REGISTRY_BINARY = Path.of("/usr/bin/docker-registry");

    // Filesystem storage rather than inmemory: tests push full OS images (hundreds of MB),
    // which would otherwise sit in the registry's heap. Deletes are allowed so tests can
    // exercise a blob or manifest disappearing.
    private static final String CONFIG = String.join("\n",
            "version: 0.1",
            "log:",
            "  level: warn",
            "storage:",
            "  filesystem:",
            "    rootdirectory: /var/lib/registry",
            "  delete:",
            "    enabled: true",
            "http:",
            "  addr: :" + CONTAINER_PORT,
            "");

    private static final String DOCKERFILE = String.join("\n",
            "FROM scratch",
            "COPY rootfs/ /",
            "EXPOSE " + CONTAINER_PORT,
            "ENTRYPOINT [\"/usr/bin/docker-registry\", \"serve\", \"/etc/docker/registry/config.yml\"]",
            "");

    public TestRegistry() {
        super(buildImage());
        withExposedPorts(CONTAINER_PORT);
        // The image only exists locally; never let Testcontainers try a registry for it.
        withImagePullPolicy(imageName -> false);
        waitingFor(Wait.forHttp("/v2/").forStatusCode(200).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** Requires HTTP basic auth for every request, checked against one htpasswd line (bcrypt). */
    public TestRegistry withHtpasswd(String htpasswdLine) {
        withCopyToContainer(Transferable.of(CONFIG + String.join("\n",
                "auth:",
                "  htpasswd:",
                "    realm: bootj-test",
                "    path: /etc/docker/registry/htpasswd",
                "")), "/etc/docker/registry/config.yml");
        withCopyToContainer(Transferable.of(htpasswdLine + "\n"), "/etc/docker/registry/htpasswd");
        waitingFor(Wait.forHttp("/v2/").forStatusCode(401).withStartupTimeout(Duration.ofSeconds(60)));
        return this;
    }

    /**
     * Requires bearer tokens, as Docker Hub and most public registries do: clients are sent to
     * {@code realm} for a token, which must be a JWT from {@code issuer} signed by the key of
     * {@code certificatePem}.
     */
    public TestRegistry withTokenAuth(String realm, String service, String issuer, String certificatePem) {
        withCopyToContainer(Transferable.of(CONFIG + String.join("\n",
                "auth:",
                "  token:",
                "    realm: " + realm,
                "    service: " + service,
                "    issuer: " + issuer,
                "    rootcertbundle: /etc/docker/registry/token-issuer.pem",
                "")), "/etc/docker/registry/config.yml");
        withCopyToContainer(Transferable.of(certificatePem), "/etc/docker/registry/token-issuer.pem");
        // /v2/ answers 401 now; the container is up once it answers at all.
        waitingFor(Wait.forHttp("/v2/").forStatusCode(401).withStartupTimeout(Duration.ofSeconds(60)));
        return this;
    }

    /** The host port the registry is published on (valid once started). */
    public int hostPort() {
        return getMappedPort(CONTAINER_PORT);
    }

    /** {@code localhost:PORT}, the registry part of an image reference. */
    public String hostAndPort() {
        return "localhost:" + hostPort();
    }

    /** {@code http://localhost:PORT}, for talking to the registry API directly. */
    public String baseUrl() {
        return "http://" + hostAndPort();
    }

    /** An image reference in this registry: {@code reference("bootj/x:1")} is {@code localhost:PORT/bootj/x:1}. */
    public String reference(String repoAndTag) {
        if (repoAndTag.startsWith("/")) {
            throw new IllegalArgumentException("repository must not start with '/': " + repoAndTag);
        }
        return hostAndPort() + "/" + repoAndTag;
    }

    /**
     * Points tag {@code toTag} of {@code repository} at the manifest {@code fromTag} names, the
     * way a registry client moves a tag: the manifest is fetched and put back under the new tag,
     * byte for byte (so under the same digest). Quicker than a {@code skopeo copy}.
     */
    public void retag(String repository, String fromTag, String toTag) throws IOException, InterruptedException {
        String manifests = baseUrl() + "/v2/" + repository + "/manifests/";
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<byte[]> manifest = client.send(HttpRequest.newBuilder(URI.create(manifests + fromTag))
                .header("Accept", String.join(",", "application/vnd.oci.image.manifest.v1+json",
                        "application/vnd.oci.image.index.v1+json",
                        "application/vnd.docker.distribution.manifest.v2+json",
                        "application/vnd.docker.distribution.manifest.list.v2+json"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (manifest.statusCode() != 200) {
            throw new IOException("GET " + manifests + fromTag + ": HTTP " + manifest.statusCode());
        }
        String mediaType = manifest.headers().firstValue("Content-Type").orElseThrow();
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(manifests + toTag))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IOException("PUT " + manifests + toTag + ": HTTP " + put.statusCode() + " " + put.body());
        }
    }

    private static ImageFromDockerfile buildImage() {
        if (!Files.isExecutable(REGISTRY_BINARY)) {
            throw new IllegalStateException(REGISTRY_BINARY + " is missing: install Debian's docker-registry package"
                    + " (scripts/test installs everything the tests need)");
        }
        // Kept after the run (deleteOnExit=false) so the next run reuses Docker's build cache.
        ImageFromDockerfile image = new ImageFromDockerfile(IMAGE_NAME, false)
                .withFileFromString("Dockerfile", DOCKERFILE)
                .withFileFromString("rootfs/etc/docker/registry/config.yml", CONFIG)
                .withFileFromPath("rootfs" + REGISTRY_BINARY, REGISTRY_BINARY);
        for (Path library : sharedLibraries(REGISTRY_BINARY)) {
            try {
                // Copy the file a symlink points at, under the name the loader looks for.
                image.withFileFromPath("rootfs" + library, library.toRealPath());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + library + " (needed by " + REGISTRY_BINARY + ")", e);
            }
        }
        return image;
    }

    // ldd lines look like "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or
    // "/lib64/ld-linux-x86-64.so.2 (0x...)"; the vDSO has no file and is skipped.
    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

    static List<Path> sharedLibraries(Path binary) {
        String output = run(List.of("ldd", binary.toString()));
        Set<Path> libraries = new LinkedHashSet<>();
        for (String line : output.split("\n")) {
            Matcher m = LDD_PATH.matcher(line.trim());
            if (m.find()) {
                libraries.add(Path.of(m.group(1)));
            }
        }
        // A statically linked build needs none; a dynamic one always needs its loader.
        return new ArrayList<>(libraries);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            // ldd exits 1 for a static binary ("not a dynamic executable"): no libraries then.
            return process.exitValue() == 0 ? output : "";
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
