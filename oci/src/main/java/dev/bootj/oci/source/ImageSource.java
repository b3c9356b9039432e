package dev.bootj.oci.source;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.Platform;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Where manifests and blobs come from: a registry, or an OCI layout on disk. */
public interface ImageSource extends Closeable {

  /**
   * Resolves the reference to one image manifest, choosing {@code platform} from an index. The
   * manifest's digest is checked against the reference's digest when it has one.
   */
  ResolvedImage resolve(Platform platform) throws IOException;

  /**
   * Streams a blob's bytes into {@code sink} as they arrive. The bytes are not verified here: the
   * caller hashes them on the way through and refuses a mismatch.
   *
   * @param progress told the number of bytes each time some arrive
   */
  void fetch(Descriptor blob, OutputStream sink, LongConsumer progress) throws IOException;

  /** Reads a small blob (a config) whole; not verified here either. */
  default byte[] fetchSmall(Descriptor blob) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(blob.size(), 1 << 20));
    fetch(blob, out, n -> {});
    return out.toByteArray();
  }

  @Override
  default void close() throws IOException {}
}
