package dev.bootj.system.lint;

import dev.bootj.common.BootjException;
import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs the lint checks over a root filesystem and collects what they find. Adding a check is one
 * class implementing {@link LintCheck} and one line in {@link #allChecks()}.
 */
public final class Linter {

  private final List<LintCheck> checks;

  public Linter() {
    this(allChecks());
  }

  Linter(List<LintCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Every check bootj knows, in the order they run and are listed. */
  static List<LintCheck> allChecks() {
    return List.of(
        new KernelCheck(),
        new BootEmptyCheck(),
        new SystemdBootCheck(),
        new BlessBootCheck(),
        new KernelArgumentsCheck(),
        new InstallConfigurationCheck(),
        new UsrEtcCheck(),
        new FstabCheck(),
        new MachineIdCheck(),
        new BootjPresentCheck(),
        new JavaRuntimeCheck(),
        new VarContentCheck(),
        new RunTmpCheck());
  }

  /** Name, severity and description of each check, for {@code --list}. */
  public List<CheckDescription> checks() {
    return checks.stream().map(c -> new CheckDescription(c.name(), c.severity(), c.description())).toList();
  }

  /** One check as {@code --list} shows it. */
  public record CheckDescription(String name, Severity severity, String description) {}

  /**
   * Runs every check but those named in {@code skip} over {@code rootfs}, which is only read.
   *
   * @throws IllegalArgumentException if {@code skip} names no check (callers report it as a usage error)
   * @throws BootjException if the root is not a directory or cannot be read
   */
  public LintReport lint(Path rootfs, Set<String> skip) throws IOException {
    for (String name : skip) {
      if (checks.stream().noneMatch(c -> c.name().equals(name))) {
        throw new IllegalArgumentException("no lint check is named '" + name + "'; 'bootj container lint --list'"
            + " shows them");
      }
    }
    if (!Files.isDirectory(rootfs)) {
      throw new BootjException(BootjException.Kind.SYSTEM, rootfs + " is not a directory; give the image's root"
          + " filesystem with --rootfs DIR");
    }
    ImageRoot root = new ImageRoot(rootfs);
    List<String> checked = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (LintCheck check : checks) {
      if (skip.contains(check.name())) {
        skipped.add(check.name());
        continue;
      }
      checked.add(check.name());
      try {
        for (String message : check.run(root)) {
          findings.add(new Finding(check.name(), check.severity(), message));
        }
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, "lint check " + check.name() + " could not read "
            + rootfs + ": " + e.getMessage(), e);
      }
    }
    return new LintReport(rootfs.toString(), checked, skipped, findings);
  }
}
