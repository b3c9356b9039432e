package dev.bootj.system.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the kernel and initramfs in an image, in either convention: bootc's
 * ({@code /usr/lib/modules/$kver/vmlinuz} + {@code initramfs.img} beside it) or Debian's
 * ({@code /boot/vmlinuz-$kver} + {@code /boot/initrd.img-$kver}). With several kernels the highest
 * version wins, as the distribution's own tools would pick it.
 */
public final class KernelLocator {

  /** Why no kernel could be used, worded for the person writing the Containerfile. */
  public static final class MissingKernelException extends Exception {
    MissingKernelException(String message) {
      super(message);
    }
  }

  public BootFiles locate(ImageRoot root) throws IOException, MissingKernelException {
    List<String> kernelsWithoutInitramfs = new ArrayList<>();
    for (String kver : versionsNewestFirst(root)) {
      Optional<Path> kernel = kernelFile(root, kver);
      Optional<Path> initramfs = root.findRegularFile("/usr/lib/modules/" + kver + "/initramfs.img");
      if (initramfs.isEmpty()) {
        initramfs = root.findRegularFile("/boot/initrd.img-" + kver);
      }
      if (kernel.isPresent() && initramfs.isPresent()) {
        return new BootFiles(kver, kernel.get(), initramfs.get());
      }
      if (kernel.isPresent()) {
        kernelsWithoutInitramfs.add(kver);
      }
    }
    if (!kernelsWithoutInitramfs.isEmpty()) {
      throw new MissingKernelException("the image has kernel " + kernelsWithoutInitramfs.get(0)
          + " but no initramfs for it (looked for /usr/lib/modules/" + kernelsWithoutInitramfs.get(0)
          + "/initramfs.img and /boot/initrd.img-" + kernelsWithoutInitramfs.get(0)
          + "); add to the Containerfile: RUN apt-get install -y initramfs-tools (Debian) or"
          + " RUN dnf install -y dracut && dracut --regenerate-all (Fedora)");
    }
    throw new MissingKernelException("the image has no kernel (looked for /usr/lib/modules/<version>/vmlinuz"
        + " and /boot/vmlinuz-<version>); add to the Containerfile: RUN apt-get install -y linux-image-amd64"
        + " (Debian) or RUN dnf install -y kernel (Fedora)");
  }

  /**
   * The versions of every kernel the image holds (a vmlinuz in either convention), newest first,
   * whether or not it has an initramfs: {@link #locate} boots only the first one it can use.
   */
  public List<String> kernelVersions(ImageRoot root) throws IOException {
    List<String> kernels = new ArrayList<>();
    for (String kver : versionsNewestFirst(root)) {
      if (kernelFile(root, kver).isPresent()) {
        kernels.add(kver);
      }
    }
    return kernels;
  }

  private static Optional<Path> kernelFile(ImageRoot root, String kver) throws IOException {
    Optional<Path> kernel = root.findRegularFile("/usr/lib/modules/" + kver + "/vmlinuz");
    return kernel.isPresent() ? kernel : root.findRegularFile("/boot/vmlinuz-" + kver);
  }

  // Kernel versions named by either convention: module directories and /boot/vmlinuz-* files.
  private static List<String> versionsNewestFirst(ImageRoot root) throws IOException {
    List<String> versions = new ArrayList<>();
    Optional<Path> modules = root.find("/usr/lib/modules");
    if (modules.isPresent() && Files.isDirectory(modules.get())) {
      try (Stream<Path> entries = Files.list(modules.get())) {
        entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).forEach(versions::add);
      }
    }
    Optional<Path> boot = root.find("/boot");
    if (boot.isPresent() && Files.isDirectory(boot.get())) {
      try (Stream<Path> entries = Files.list(boot.get())) {
        entries.map(p -> p.getFileName().toString())
            .filter(name -> name.startsWith("vmlinuz-"))
            .map(name -> name.substring("vmlinuz-".length()))
            .filter(v -> !versions.contains(v))
            .forEach(versions::add);
      }
    }
    versions.sort(KernelLocator::compareVersions);
    java.util.Collections.reverse(versions);
    return versions;
  }

  /** Compares runs of digits as numbers and everything else as text: 6.10.0 sorts after 6.9.0. */
  static int compareVersions(String left, String right) {
    List<String> a = tokens(left);
    List<String> b = tokens(right);
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean numbers = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0));
      int order = numbers
          ? Comparator.<java.math.BigInteger>naturalOrder().compare(new java.math.BigInteger(x), new java.math.BigInteger(y))
          : x.compareTo(y);
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static List<String> tokens(String version) {
    List<String> tokens = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= version.length(); i++) {
      if (i == version.length()
          || Character.isDigit(version.charAt(i)) != Character.isDigit(version.charAt(i - 1))) {
        tokens.add(version.substring(start, i));
        start = i;
      }
    }
    return tokens;
  }
}
