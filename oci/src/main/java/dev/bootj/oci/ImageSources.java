package dev.bootj.oci;

import dev.bootj.common.BootjException;
import dev.bootj.oci.layout.LayoutSource;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.LayoutReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.MirroredRegistrySource;
import dev.bootj.oci.source.ImageSource;

/** Opens the source a reference names. */
final class ImageSources {

  private ImageSources() {}

  /** @param progress hears of registry requests being retried */
  static ImageSource open(ImageReference reference, PullOptions options, ProgressListener progress) throws BootjException {
    if (reference instanceof RegistryReference r) {
      return new MirroredRegistrySource(r, options.registries().endpointsFor(r), options.tlsVerify(), options.credentials(),
          options.retry(), progress::retrying);
    }
    return LayoutSource.open((LayoutReference) reference);
  }
}
