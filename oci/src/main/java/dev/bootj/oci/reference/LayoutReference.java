package dev.bootj.oci.reference;

import java.nio.file.Path;

/**
 * An image in an OCI image layout on disk: a directory ({@code oci:DIR[:TAG]}) or a tar of one
 * ({@code oci-archive:FILE[:TAG]}). Without a tag the layout must hold exactly one image.
 */
public record LayoutReference(Kind kind, Path path, String tag) implements ImageReference {

  static final String DIRECTORY_PREFIX = "oci:";
  static final String ARCHIVE_PREFIX = "oci-archive:";

  /** Whether the layout is a directory or a tar archive of one. */
  public enum Kind {
    DIRECTORY,
    ARCHIVE
  }

  static LayoutReference parse(String text) {
    Kind kind = text.startsWith(ARCHIVE_PREFIX) ? Kind.ARCHIVE : Kind.DIRECTORY;
    String rest = text.substring(kind == Kind.ARCHIVE ? ARCHIVE_PREFIX.length() : DIRECTORY_PREFIX.length());
    String tag = null;
    // A tag follows the last colon, unless that colon is part of the path (a path cannot end in a
    // tag-looking component after a slash, so "oci:/a:b/c" has no tag).
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf('/', colon) < 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (tag.isEmpty()) {
        tag = null;
      }
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(
          "'" + text + "': the path is missing; write " + (kind == Kind.ARCHIVE ? "oci-archive:FILE[:TAG]" : "oci:DIR[:TAG]"));
    }
    return new LayoutReference(kind, Path.of(rest), tag);
  }

  @Override
  public String toString() {
    return (kind == Kind.ARCHIVE ? ARCHIVE_PREFIX : DIRECTORY_PREFIX) + path + (tag == null ? "" : ":" + tag);
  }
}
