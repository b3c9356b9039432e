package dev.bootj.system.lint;

import dev.bootj.common.BootjException;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.install.InstallConfiguration;
import java.io.IOException;
import java.util.List;

/** The install.d files parse and name only known keys with valid values, as install will read them ({@link InstallConfiguration}). */
final class InstallConfigurationCheck implements LintCheck {

  @Override
  public String name() {
    return "install-config";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "every " + InstallConfiguration.DIRECTORY + "/*.toml parses, with only [install] keys install to-disk knows";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    try {
      InstallConfiguration.validate(root.directory());
      return List.of();
    } catch (BootjException e) {
      // The install's own one line: the file, the key and what is wrong.
      return List.of(e.getMessage());
    }
  }
}
