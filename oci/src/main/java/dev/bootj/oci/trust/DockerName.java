package dev.bootj.oci.trust;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docker reference as written in a signature or a policy ({@code dockerReference},
 * {@code dockerRepository}), normalised as containers/image's {@code ParseNormalizedNamed} does:
 * {@code busybox} is {@code docker.io/library/busybox}. Unlike
 * {@link dev.bootj.oci.reference.RegistryReference} it keeps "no tag and no digest" apart from
 * {@code :latest}, because the identity rules must tell a bare name from a tagged one.
 *
 * @param name the fully expanded repository, {@code host[:port]/path}
 * @param tag the tag, or null
 * @param digest the digest as written ({@code algorithm:hex}), or null
 */
record DockerName(String name, String tag, String digest) {

  private static final String DEFAULT_DOMAIN = "docker.io";
  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final int NAME_TOTAL_LENGTH_MAX = 255;

  // The grammar of github.com/containers/image/docker/reference (regexp.go): domains may hold
  // uppercase letters, repository path components may not.
  static final String DOMAIN =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?";
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*";
  static final String NAME = "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*";
  private static final Pattern REFERENCE =
      Pattern.compile("(" + NAME + ")(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
          + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?");
  private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");
  // go-digest accepts only the algorithms it can compute, each with its exact lowercase hex length.
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");

  /**
   * Parses and normalises {@code text}.
   *
   * @throws IllegalArgumentException saying why {@code text} is not a docker reference
   */
  static DockerName parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("the reference is empty");
    }
    if (IMAGE_ID.matcher(text).matches()) {
      throw new IllegalArgumentException("a 64-digit hexadecimal string is an image ID, not a repository name");
    }
    String domain;
    String remainder;
    int slash = text.indexOf('/');
    if (slash < 0) {
      domain = DEFAULT_DOMAIN;
      remainder = text;
    } else {
      String first = text.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        domain = first;
        remainder = text.substring(slash + 1);
      } else {
        domain = DEFAULT_DOMAIN;
        remainder = text;
      }
    }
    if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && !remainder.contains("/")) {
      remainder = "library/" + remainder;
    }
    int colon = remainder.indexOf(':');
    String remoteName = colon < 0 ? remainder : remainder.substring(0, colon);
    if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
      throw new IllegalArgumentException("repository names must be lowercase");
    }
    Matcher m = REFERENCE.matcher(domain + "/" + remainder);
    if (!m.matches()) {
      throw new IllegalArgumentException("it is not a reference of the form host[:port]/repository[:tag][@digest]");
    }
    if (m.group(1).length() > NAME_TOTAL_LENGTH_MAX) {
      throw new IllegalArgumentException("the repository name is longer than " + NAME_TOTAL_LENGTH_MAX + " characters");
    }
    String digest = m.group(3);
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("'" + digest + "' is not a sha256, sha384 or sha512 digest");
    }
    return new DockerName(m.group(1), m.group(2), digest);
  }

  /** Whether the reference names only a repository, with neither tag nor digest. */
  boolean isNameOnly() {
    return tag == null && digest == null;
  }

  /** The reference in full, {@code name[:tag][@digest]}, as containers/image compares them. */
  @Override
  public String toString() {
    return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
