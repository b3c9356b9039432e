package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd-bless-boot in the image. bootj writes a new slot's boot entry with a try counter;
 * systemd-bless-boot (pulled in by its generator when the loader counts boots) marks the entry good
 * once the machine reached boot-complete.target. Without it no boot is ever marked good, so the
 * counter runs out on a healthy slot and systemd-boot falls back to the other one.
 */
final class BlessBootCheck implements LintCheck {

  static final String PROGRAM = "/usr/lib/systemd/systemd-bless-boot";
  static final String GENERATOR = "/usr/lib/systemd/system-generators/systemd-bless-boot-generator";

  @Override
  public String name() {
    return "bless-boot";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "systemd-bless-boot present (" + PROGRAM + "), which automatic rollback needs";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    List<String> missing = new ArrayList<>();
    for (String path : List.of(PROGRAM, GENERATOR)) {
      if (root.findRegularFile(path).isEmpty()) {
        missing.add(path);
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    return List.of("the image lacks " + String.join(" and ", missing) + ": no boot would be marked good, so"
        + " every update would be rolled back after its tries; add to the Containerfile:"
        + " RUN apt-get install -y systemd-boot (Debian; Fedora's systemd-udev carries it)");
  }
}
