package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image's /etc/fstab mounts neither {@code /} nor {@code /usr}: bootj writes the line for
 * {@code /} (the slot's PARTUUID) and makes /usr read-only with a unit, because Debian's initramfs
 * mounts a /usr named in fstab itself and hides the real one.
 */
final class FstabCheck implements LintCheck {

  @Override
  public String name() {
    return "fstab";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "/etc/fstab mounts neither / nor /usr: bootj sets up both";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    Optional<Path> fstab = root.findRegularFile("/etc/fstab");
    if (fstab.isEmpty()) {
      return List.of();
    }
    List<String> findings = new ArrayList<>();
    List<String> lines = Files.readAllLines(fstab.get());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 2) {
        continue;
      }
      String mountPoint = withoutTrailingSlashes(fields[1]);
      if (mountPoint.equals("/") || mountPoint.equals("/usr")) {
        findings.add("/etc/fstab line " + (i + 1) + " mounts " + mountPoint + " (" + line + "); bootj mounts the"
            + " slot's root and makes /usr read-only itself: remove the line in the Containerfile");
      }
    }
    return findings;
  }

  private static String withoutTrailingSlashes(String path) {
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
