package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * bootj itself in the image, where the distribution archive puts it: the launcher
 * {@code /usr/bin/bootj} (what bootj-update.service runs) and {@code /usr/lib/bootj/bootj.jar}.
 * Without them a machine installed from the image can never switch, upgrade or roll back on its own.
 */
final class BootjPresentCheck implements LintCheck {

  static final String LAUNCHER = "/usr/bin/bootj";
  static final String JAR = "/usr/lib/bootj/bootj.jar";

  @Override
  public String name() {
    return "bootj";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "bootj installed (" + LAUNCHER + ", " + JAR + "), so the machine can update itself";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    List<String> missing = new ArrayList<>();
    Optional<Path> launcher = root.findRegularFile(LAUNCHER);
    if (launcher.isEmpty()) {
      missing.add(LAUNCHER);
    } else if (!Files.isExecutable(launcher.get())) {
      missing.add(LAUNCHER + " (not executable)");
    }
    if (root.findRegularFile(JAR).isEmpty()) {
      missing.add(JAR);
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    return List.of("the image lacks " + String.join(" and ", missing) + ", so a machine installed from it cannot"
        + " update itself; add to the Containerfile: ADD bootj-VERSION.tar.gz / (the distribution archive)");
  }
}
