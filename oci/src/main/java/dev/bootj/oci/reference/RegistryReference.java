package dev.bootj.oci.reference;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image in a registry: {@code registry/repository[:tag][@digest]}. When only a digest is given
 * there is no tag; when neither is given the tag is {@code latest}, as docker does.
 */
public record RegistryReference(String registry, String repository, String tag, Digest digest)
    implements ImageReference {

  public static final String DOCKER_HUB = "docker.io";
  static final String TRANSPORT_PREFIX = "docker://";

  // The distribution spec's grammar for repository path components and tags.
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY =
      Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]+)?");

  public RegistryReference {
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  static RegistryReference parse(String input) {
    String text = input.startsWith(TRANSPORT_PREFIX) ? input.substring(TRANSPORT_PREFIX.length()) : input;
    Digest digest = null;
    int at = text.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(text.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new InvalidReferenceException(
            "'" + input + "': the part after @ must be a digest such as sha256:<64 hex digits>");
      }
      text = text.substring(0, at);
    }
    String registry = DOCKER_HUB;
    String rest = text;
    int slash = text.indexOf('/');
    if (slash > 0) {
      String first = text.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
        registry = first;
        rest = text.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(
            "'" + input + "': '" + tag + "' is not a valid tag (letters, digits, '_', '.', '-'; at most 128)");
      }
    }
    if (!REGISTRY.matcher(registry).matches()) {
      throw new InvalidReferenceException("'" + input + "': '" + registry + "' is not a valid registry host");
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException("'" + input + "': the repository name is missing");
    }
    for (String component : rest.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new InvalidReferenceException(
            "'" + input + "': repository names are lowercase letters, digits and separators"
                + " ('.', '_', '-', '/'); '" + rest + "' is not one");
      }
    }
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new RegistryReference(registry, rest, tag, digest);
  }

  public Optional<Digest> digestIfPinned() {
    return Optional.ofNullable(digest);
  }

  /** The same repository at another digest, keeping the tag for display. */
  public RegistryReference withDigest(Digest newDigest) {
    return new RegistryReference(registry, repository, tag, newDigest);
  }

  /** The host (and port) to talk to; Docker Hub's API is not served at docker.io itself. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** What to ask the registry's manifest endpoint for: the digest when pinned, else the tag. */
  public String manifestQualifier() {
    return digest != null ? digest.toString() : tag;
  }

  /** The repository without tag or digest, e.g. {@code registry.example/os}. */
  public String name() {
    return registry + "/" + repository;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name());
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }
}
