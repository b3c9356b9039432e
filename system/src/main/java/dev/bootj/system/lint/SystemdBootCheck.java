package dev.bootj.system.lint;

import dev.bootj.system.image.BootLoaderLocator;
import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * systemd-boot's EFI binary in the image. Install falls back to the installing host's copy, but
 * a loader that does not match the image's systemd is a gamble, and updates have no host to borrow from.
 */
final class SystemdBootCheck implements LintCheck {

  @Override
  public String name() {
    return "systemd-boot";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "systemd-boot's EFI binary at " + BootLoaderLocator.IMAGE_PATH;
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    // The image root stands in for the host too, so the locator's fallback to the host cannot hide a missing loader.
    Optional<BootLoaderLocator.Found> found = new BootLoaderLocator(root.directory()).locate(root);
    if (found.isPresent()) {
      return List.of();
    }
    return List.of("the image has no " + BootLoaderLocator.IMAGE_PATH + "; add to the Containerfile:"
        + " RUN apt-get install -y systemd-boot-efi (Debian) or RUN dnf install -y systemd-boot-unsigned (Fedora)");
  }
}
