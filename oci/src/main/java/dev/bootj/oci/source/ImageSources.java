package dev.bootj.oci.source;

import dev.bootj.common.BootjException;
import dev.bootj.oci.ImageReference;
import dev.bootj.oci.LayoutReference;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.RegistryReference;
import dev.bootj.oci.layout.LayoutSource;
import dev.bootj.oci.registry.RegistrySource;

/** Opens the source a reference names. */
public final class ImageSources {

  private ImageSources() {}

  public static ImageSource open(ImageReference reference, PullOptions options) throws BootjException {
    if (reference instanceof RegistryReference r) {
      return new RegistrySource(r, options.tlsVerify(), options.credentials());
    }
    return LayoutSource.open((LayoutReference) reference);
  }
}
