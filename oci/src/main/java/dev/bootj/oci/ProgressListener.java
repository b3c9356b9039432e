package dev.bootj.oci;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.registry.RetryNotice;

/**
 * Hears about long work as it happens. Byte counts may arrive from several threads at once, so
 * implementations must be thread-safe.
 */
public interface ProgressListener {

  ProgressListener NONE = new ProgressListener() {};

  /** A layer's turn has come; {@code stored} when its blob is already in the store. */
  default void layerStarted(int index, int count, Descriptor layer, boolean stored) {}

  /** Some more compressed bytes of layer {@code index} were read (downloaded or from the store). */
  default void layerBytes(int index, long delta) {}

  default void layerFinished(int index) {}

  /** The image is done, with every layer or with a failure; nothing more will be reported. */
  default void finished() {}

  /** A registry request failed transiently and is tried again after {@code notice.delay()}. */
  default void retrying(RetryNotice notice) {}

  /** A warning for the user, one line. */
  default void warning(String message) {}
}
