package dev.bootj.oci.layout;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** The files of an OCI image layout, whether in a directory or in a tar archive of one. */
interface LayoutFiles extends Closeable {

  /** Opens a file by its path relative to the layout's root, e.g. {@code blobs/sha256/ab..}. */
  InputStream open(String relativePath) throws IOException;

  boolean exists(String relativePath);

  /** How the user named the layout, for messages. */
  String describe();
}
