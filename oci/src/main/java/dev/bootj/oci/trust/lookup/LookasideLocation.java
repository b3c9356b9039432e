package dev.bootj.oci.trust.lookup;

import dev.bootj.oci.reference.Digest;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The lookaside directory of one repository: {@code <lookaside>/<repository path>}, under which
 * the signatures of each manifest are {@code @<algorithm>=<hex>/signature-<n>}, n counting from 1
 * (containers/image's docs/signature-protocols.md). The repository path is the one in the
 * registry, without the host: {@code library/busybox} for {@code docker.io/library/busybox}.
 * Paths are joined as plain strings, as containers/image joins them, so a lookaside written with
 * a trailing slash keeps it ({@code file:///sigs/} gives {@code /sigs//library/busybox}); the
 * lookaside's query, if any, is kept.
 */
public final class LookasideLocation {

  private final URI lookaside;
  private final String repositoryPath;

  /**
   * @param lookaside the configured top of the lookaside ({@link SignatureStorage#lookaside()})
   * @param repositoryPath the repository within its registry, e.g. {@code os/base}
   */
  public LookasideLocation(URI lookaside, String repositoryPath) {
    if (repositoryPath.isEmpty() || repositoryPath.startsWith("/") || repositoryPath.endsWith("/")
        || ("/" + repositoryPath + "/").contains("/../") || ("/" + repositoryPath + "/").contains("/./")) {
      throw new IllegalArgumentException("'" + repositoryPath + "' is not a repository path");
    }
    this.lookaside = lookaside;
    this.repositoryPath = repositoryPath;
  }

  /** The directory of {@code manifest}'s signatures: {@code <lookaside>/<repo>@sha256=<hex>}. */
  public URI directory(Digest manifest) {
    return withPath(basePath() + "/" + repositoryPath + "@" + manifest.algorithm() + "=" + manifest.hex());
  }

  /** The {@code n}th signature of {@code manifest}, n from 1. */
  public URI signature(Digest manifest, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("signatures are numbered from 1, not " + n);
    }
    return withPath(directory(manifest).getPath() + "/signature-" + n);
  }

  private String basePath() {
    return lookaside.getPath() == null ? "" : lookaside.getPath();
  }

  private URI withPath(String path) {
    try {
      String authority = lookaside.getAuthority();
      if (authority == null && "file".equals(lookaside.getScheme())) {
        authority = ""; // keeps file:///dir rather than file:/dir in messages
      }
      return new URI(lookaside.getScheme(), authority, path, lookaside.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot append " + path + " to the lookaside " + lookaside, e);
    }
  }

  @Override
  public String toString() {
    return withPath(basePath() + "/" + repositoryPath).toString();
  }
}
