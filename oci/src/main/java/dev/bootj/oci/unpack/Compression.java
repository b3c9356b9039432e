package dev.bootj.oci.unpack;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** How a layer blob is compressed, as its media type says. */
public enum Compression {
  NONE,
  GZIP,
  ZSTD;

  /**
   * From an OCI or Docker layer media type: {@code …tar}, {@code …tar+gzip}, {@code …tar.gzip}
   * (Docker's {@code rootfs.diff.tar.gzip}), {@code …tar+zstd}; the non-distributable ("foreign")
   * variants compress the same way. Anything else is an {@link InvalidLayerException}.
   */
  public static Compression fromMediaType(String mediaType) throws InvalidLayerException {
    if (mediaType != null) {
      String type = mediaType.trim();
      if (type.endsWith("tar")) {
        return NONE;
      }
      if (type.endsWith("tar+gzip") || type.endsWith("tar.gzip")) {
        return GZIP;
      }
      if (type.endsWith("tar+zstd")) {
        return ZSTD;
      }
    }
    throw new InvalidLayerException(
        "unsupported layer media type '" + mediaType
            + "'; expected a tar layer, uncompressed or compressed with gzip or zstd");
  }

  /**
   * Wraps {@code in} so that reading it yields the uncompressed tar. Gzip is read as a sequence of
   * concatenated members, as some image builders write it.
   */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case NONE:
        return in;
      case GZIP:
        return new GzipCompressorInputStream(in, true);
      case ZSTD:
        return new ZstdCompressorInputStream(in);
      default:
        throw new AssertionError(this);
    }
  }
}
