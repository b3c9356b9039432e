package dev.bootj.system.lint;

import dev.bootj.system.image.BootFiles;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.image.KernelLocator;
import java.io.IOException;
import java.util.List;

/**
 * Exactly one kernel, with its initramfs, where {@link KernelLocator} looks. With two, bootj boots
 * only the newest and the image carries the other for nothing; a kernel update that left the old
 * one behind is the usual cause.
 */
final class KernelCheck implements LintCheck {

  private final KernelLocator locator = new KernelLocator();

  @Override
  public String name() {
    return "kernel";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "exactly one kernel, with its initramfs, in /usr/lib/modules/VERSION or /boot";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    BootFiles booted;
    try {
      booted = locator.locate(root);
    } catch (KernelLocator.MissingKernelException e) {
      return List.of(e.getMessage());
    }
    List<String> kernels = locator.kernelVersions(root);
    if (kernels.size() > 1) {
      return List.of("the image has " + kernels.size() + " kernels (" + String.join(", ", kernels)
          + ") and bootj boots only " + booted.kernelVersion() + "; remove the others in the Containerfile"
          + " (Debian: RUN apt-get purge -y linux-image-VERSION)");
    }
    return List.of();
  }
}
