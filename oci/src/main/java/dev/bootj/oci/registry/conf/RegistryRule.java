package dev.bootj.oci.registry.conf;

import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.InvalidReferenceException;
import dev.bootj.oci.reference.RegistryReference;
import java.util.List;

/**
 * One {@code [[registry]]} table.
 *
 * @param prefix the references it applies to: {@code host[:port][/namespace...]} or a {@code *.domain} wildcard
 * @param location what replaces the matched prefix ({@code null}: the prefix itself)
 * @param mirrors tried in order before the location
 * @param file where it was read, for messages
 */
public record RegistryRule(String prefix, String location, boolean insecure, boolean blocked,
    boolean mirrorByDigestOnly, List<Mirror> mirrors, String file) {

  public RegistryRule {
    mirrors = List.copyOf(mirrors);
  }

  /**
   * How many characters of the reference this rule matches (longer wins), or -1. A prefix
   * matches at a path boundary only: {@code example.com/foo} matches {@code example.com/foo} and
   * {@code example.com/foo/bar}, never {@code example.com/foobar}.
   */
  int matchLength(String registry, String name) {
    if (prefix.startsWith("*.")) {
      String host = registry.contains(":") && !registry.startsWith("[") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
      return host.endsWith(prefix.substring(1)) ? prefix.length() : -1;
    }
    if (name.equals(prefix) || (name.startsWith(prefix) && name.charAt(prefix.length()) == '/')) {
      return prefix.length();
    }
    return -1;
  }

  /** {@code image} with its matched prefix replaced by {@code target} (unchanged when {@code target} is null). */
  RegistryReference rewrite(RegistryReference image, String target) {
    if (target == null || prefix.startsWith("*.")) {
      return image;
    }
    String name = image.registry() + "/" + image.repository();
    String rewritten = target + name.substring(prefix.length());
    String suffix = (image.tag() != null ? ":" + image.tag() : "") + (image.digest() != null ? "@" + image.digest() : "");
    // A location without a namespace ("mirror.example:5000") still needs a registry part that
    // parses as one: the reference parser treats a first component with '.', ':' or localhost so.
    try {
      ImageReference parsed = ImageReference.parse("docker://" + rewritten + suffix);
      if (parsed instanceof RegistryReference r && r.registry().equals(hostOf(rewritten))) {
        return r;
      }
    } catch (InvalidReferenceException e) {
      // reported below
    }
    throw new InvalidReferenceException(file + ": the registry table with prefix \"" + prefix + "\" turns " + image
        + " into \"" + rewritten + "\", which is not an image reference with a registry host");
  }

  private static String hostOf(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }
}
