package dev.bootj.system.lint;

import dev.bootj.system.image.BootFiles;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.image.KernelLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code /boot} empty when the kernel lives in {@code /usr/lib/modules}: bootj copies the kernel
 * and initramfs it boots to the ESP, so anything else in /boot is never used, and a stale kernel
 * there misleads whoever reads the image. (Debian's convention keeps the kernel in /boot; then
 * /boot is where it belongs and this check has nothing to say.)
 */
final class BootEmptyCheck implements LintCheck {

  @Override
  public String name() {
    return "boot-empty";
  }

  @Override
  public Severity severity() {
    return Severity.WARNING;
  }

  @Override
  public String description() {
    return "/boot empty when the kernel is in /usr/lib/modules/VERSION";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    BootFiles boot;
    try {
      boot = new KernelLocator().locate(root);
    } catch (KernelLocator.MissingKernelException e) {
      return List.of(); // the kernel check says so
    }
    Optional<Path> modules = root.find("/usr/lib/modules");
    Optional<Path> bootDirectory = root.find("/boot");
    if (modules.isEmpty() || !boot.kernel().startsWith(modules.get())
        || bootDirectory.isEmpty() || !Files.isDirectory(bootDirectory.get(), LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> entries;
    try (Stream<Path> list = Files.list(bootDirectory.get())) {
      entries = list.map(p -> "/boot/" + p.getFileName()).sorted().toList();
    }
    if (entries.isEmpty()) {
      return List.of();
    }
    return List.of("the kernel is in /usr/lib/modules/" + boot.kernelVersion() + " but /boot is not empty ("
        + String.join(", ", entries.subList(0, Math.min(entries.size(), 5)))
        + (entries.size() > 5 ? " and " + (entries.size() - 5) + " more" : "")
        + "); bootj never uses /boot: remove its content in the Containerfile");
  }
}
