package dev.bootj.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference tool {@code skopeo}, for putting known images into a {@link TestRegistry}
 * (and copying them out again) independently of bootj's own registry code.
 *
 * <p>TLS verification is off for registry transports because {@link TestRegistry} speaks
 * plain HTTP on loopback, and the signature policy is bypassed ({@code --insecure-policy})
 * so the tests do not depend on the host's {@code /etc/containers/policy.json}.
 */
public final class Skopeo {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Skopeo() {
    }

    /**
     * Pushes the image tagged {@code tag} in the OCI layout {@code layoutDir} to
     * {@code registry} as {@code repoAndTag}, returning the pushed reference
     * ({@code localhost:PORT/repo:tag}).
     */
    public static String push(Path layoutDir, String tag, TestRegistry registry, String repoAndTag) {
        if (!Files.isRegularFile(layoutDir.resolve("oci-layout"))) {
            throw new IllegalArgumentException(layoutDir + " is not an OCI layout (no oci-layout file)");
        }
        String reference = registry.reference(repoAndTag);
        copy("oci:" + layoutDir + ":" + tag, "docker://" + reference);
        return reference;
    }

    /** Copies the registry image {@code reference} into the OCI layout {@code layoutDir} under {@code tag}. */
    public static void pullToLayout(String reference, Path layoutDir, String tag) {
        copy("docker://" + reference, "oci:" + layoutDir + ":" + tag);
    }

    /** {@code skopeo copy SRC DEST} with any registry transport treated as plain-HTTP loopback. */
    public static void copy(String source, String destination) {
        copy(source, destination, false);
    }

    /** Like {@link #copy(String, String)}; {@code all} copies every image of a multi-platform index. */
    public static void copy(String source, String destination, boolean all) {
        copy(source, destination, all, null);
    }

    /** Like {@link #copy(String, String, boolean)}, logging in to the destination as {@code destCreds} (user:password). */
    public static void copy(String source, String destination, boolean all, String destCreds) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet"));
        if (destCreds != null) {
            command.add("--dest-creds=" + destCreds);
        }
        if (all) {
            command.add("--all");
        }
        if (source.startsWith("docker://")) {
            command.add("--src-tls-verify=false");
        }
        if (destination.startsWith("docker://")) {
            command.add("--dest-tls-verify=false");
        }
        command.add(source);
        command.add(destination);
        run(command);
    }

    /**
     * {@code skopeo copy --dest-compress-format FORMAT SRC DEST}: every layer compressed anew
     * as {@code format} ({@code gzip} or {@code zstd}).
     */
    public static void copyRecompressed(String source, String destination, String format) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                "--dest-compress-format", format));
        if (source.startsWith("docker://")) {
            command.add("--src-tls-verify=false");
        }
        if (destination.startsWith("docker://")) {
            command.add("--dest-tls-verify=false");
        }
        command.add(source);
        command.add(destination);
        run(command);
    }

    /** Runs a skopeo command line and returns its standard output; fails with everything it printed. */
    static String run(List<String> command) {
        Path log;
        try {
            log = Files.createTempFile("skopeo", ".log");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary file for skopeo's output", e);
        }
        try {
            Process process;
            try {
                // Output goes to a file, not a pipe, so a chatty skopeo can never block on a full pipe.
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run skopeo (" + e.getMessage() + "): install Debian's"
                        + " skopeo package (scripts/test installs everything the tests need)", e);
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + TIMEOUT.toMinutes() + " min: "
                        + String.join(" ", command) + "\n" + read(log));
            }
            String output = read(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("skopeo failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // A leftover temp file is harmless.
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
