package dev.bootj.system.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds systemd-boot's EFI binary: the image's own first, so the loader matches the image's
 * systemd; else the host's, with a warning, because a machine that boots beats one that does not.
 */
public final class BootLoaderLocator {

  public static final String IMAGE_PATH = "/usr/lib/systemd/boot/efi/systemd-bootx64.efi";

  /** The binary found, and whether it came from the host rather than the image. */
  public record Found(Path efiBinary, boolean fromHost) {}

  private final Path hostRoot;

  public BootLoaderLocator() {
    this(Path.of("/"));
  }

  /** For tests: a stand-in for the host's root. */
  public BootLoaderLocator(Path hostRoot) {
    this.hostRoot = hostRoot;
  }

  public Optional<Found> locate(ImageRoot image) throws IOException {
    Optional<Path> own = image.findRegularFile(IMAGE_PATH);
    if (own.isPresent()) {
      return Optional.of(new Found(own.get(), false));
    }
    Optional<Path> host = new ImageRoot(hostRoot).findRegularFile(IMAGE_PATH);
    return host.map(path -> new Found(path, true));
  }

  public static String missingMessage() {
    return "the image has no systemd-boot (" + IMAGE_PATH + ") and neither has this machine; add to the"
        + " Containerfile: RUN apt-get install -y systemd-boot-efi (Debian) or"
        + " RUN dnf install -y systemd-boot-unsigned (Fedora)";
  }

  public static String hostCopyWarning(Path hostCopy) {
    return "the image has no " + IMAGE_PATH + "; using this machine's " + hostCopy
        + " (add systemd-boot-efi to the image so its boot loader matches its systemd)";
  }

}
