package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code /etc/machine-id} empty or absent, so that systemd gives each installed machine its own
 * identity at first boot instead of every machine sharing the one the build made.
 */
final class MachineIdCheck implements LintCheck {

  @Override
  public String name() {
    return "machine-id";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "/etc/machine-id empty or absent, so each machine gets its own identity";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    Optional<Path> file = root.findRegularFile("/etc/machine-id");
    if (file.isEmpty()) {
      return List.of();
    }
    String content = Files.readString(file.get()).strip();
    // "uninitialized" is systemd's own marker for an image that has not booted yet (machine-id(5)).
    if (content.isEmpty() || content.equals("uninitialized")) {
      return List.of();
    }
    return List.of("/etc/machine-id holds " + content + ", which every machine installed from this image"
        + " would share; empty it in the Containerfile: RUN : >/etc/machine-id");
  }
}
