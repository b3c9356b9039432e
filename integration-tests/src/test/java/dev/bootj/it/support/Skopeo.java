package dev.bootj.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        List<String> options = new ArrayList<>();
        if (destCreds != null) {
            options.add("--dest-creds=" + destCreds);
        }
        if (all) {
            options.add("--all");
        }
        copy(options, source, destination);
    }

    /**
     * Points the tag {@code to} at the image {@code from} names, in the same registry, manifest
     * unchanged (so its digest and the signatures made for it still hold): a publisher moving a tag.
     */
    public static void retag(String from, String to) {
        copy(List.of("--preserve-digests"), "docker://" + from, "docker://" + to);
    }

    /**
     * {@code skopeo copy --dest-compress-format FORMAT SRC DEST}: every layer compressed anew
     * as {@code format} ({@code gzip} or {@code zstd}).
     */
    public static void copyRecompressed(String source, String destination, String format) {
        copy(List.of("--dest-compress-format", format), source, destination);
    }

    private static void copy(List<String> options, String source, String destination) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet"));
        command.addAll(options);
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

    /** Runs a skopeo command line and returns its output; fails with everything it printed. */
    static String run(List<String> command) {
        if (!HostCommand.isInstalled("skopeo")) {
            throw new IllegalStateException("skopeo is not installed: install Debian's skopeo package"
                    + " (scripts/test installs everything the tests need)");
        }
        return HostCommand.run(TIMEOUT, command);
    }
}
