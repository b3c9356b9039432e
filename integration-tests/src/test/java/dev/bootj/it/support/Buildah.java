package dev.bootj.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code buildah} or {@code podman} (which builds with buildah's code but is a separate tool users
 * choose), each with its own vfs storage under a directory the test owns: no state shared with
 * the host's /var/lib/containers or between the two, so each really builds every layer itself.
 */
public final class Buildah {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final List<String> tool;
  private final List<String> buildOptions;

  private Buildah(List<String> tool, List<String> buildOptions) {
    this.tool = tool;
    this.buildOptions = buildOptions;
  }

  /** buildah with its storage under {@code storage}; {@code bud --layers} so that each instruction is its own layer, as podman's default. */
  public static Buildah buildah(Path storage) {
    return new Buildah(storageOptions("buildah", storage), List.of("bud", "--layers"));
  }

  /**
   * podman with its storage under {@code storage}. Without systemd as PID 1 here, podman's default
   * cgroup manager (systemd) and events backend (journald) are not available.
   */
  public static Buildah podman(Path storage) {
    List<String> tool = storageOptions("podman", storage);
    tool.addAll(List.of("--cgroup-manager", "cgroupfs", "--events-backend", "file", "--tmpdir", storage.resolve("tmp").toString()));
    return new Buildah(tool, List.of("build"));
  }

  private static List<String> storageOptions(String name, Path storage) {
    return new ArrayList<>(List.of(name, "--storage-driver", "vfs",
        "--root", storage.resolve("root").toString(), "--runroot", storage.resolve("run").toString()));
  }

  /** Builds {@code containerfile} in {@code context} as {@code tag}. */
  public void build(Path context, Path containerfile, String tag) {
    List<String> command = new ArrayList<>(tool);
    command.addAll(buildOptions);
    // The tests' RUN steps need no network; without one, no CNI bridge or firewall rule is set up.
    command.addAll(List.of("--network", "none"));
    command.addAll(List.of("-q", "-f", containerfile.toString(), "-t", tag, context.toString()));
    HostCommand.run(TIMEOUT, command);
  }

  /** Pushes {@code tag} to its registry over plain HTTP (a {@link TestRegistry} on loopback). */
  public void push(String tag) {
    List<String> command = new ArrayList<>(tool);
    command.addAll(List.of("push", "-q", "--tls-verify=false", tag));
    HostCommand.run(TIMEOUT, command);
  }

  /** Pulls {@code reference} from a {@link TestRegistry} on loopback (plain HTTP) into this tool's storage. */
  public void pull(String reference) {
    List<String> command = new ArrayList<>(tool);
    command.addAll(List.of("pull", "-q", "--tls-verify=false", reference));
    HostCommand.run(TIMEOUT, command);
  }

  /**
   * {@code podman image diff --format json IMAGE [BASE]}: what containers/storage says IMAGE adds,
   * changes and deletes relative to BASE (or to its parent layer when BASE is null).
   */
  public String imageDiffJson(String image, String base) {
    List<String> command = new ArrayList<>(tool);
    command.addAll(List.of("image", "diff", "--format", "json", image));
    if (base != null) {
      command.add(base);
    }
    return HostCommand.run(TIMEOUT, command);
  }
}
