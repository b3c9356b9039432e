package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Nothing in {@code /run} or {@code /tmp}: a booted machine mounts a fresh tmpfs over both, so
 * what the build left there only takes space in the image and was usually forgotten. What the
 * builder mounts there during a {@code RUN} step is not part of the image and is not reported.
 */
final class RunTmpCheck implements LintCheck {

  /** How many paths a finding names before it says "and N more". */
  static final int SHOWN_PATHS = 8;

  @Override
  public String name() {
    return "run-tmp";
  }

  @Override
  public Severity severity() {
    return Severity.WARNING;
  }

  @Override
  public String description() {
    return "nothing in /run or /tmp, which are empty tmpfs on a booted machine";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    List<String> findings = new ArrayList<>();
    for (String directory : List.of("/run", "/tmp")) {
      List<String> shown = new ArrayList<>();
      long[] total = {0};
      new ImageTreeWalker(root).nonDirectoriesBelow(directory, path -> {
        if (total[0]++ < SHOWN_PATHS) {
          shown.add(path);
        }
      });
      if (total[0] > 0) {
        findings.add(directory + " holds " + total[0] + " files (" + String.join(", ", shown)
            + (total[0] > SHOWN_PATHS ? " and " + (total[0] - SHOWN_PATHS) + " more" : "")
            + "), hidden by a tmpfs at boot; remove them in the RUN step that made them");
      }
    }
    return findings;
  }
}
