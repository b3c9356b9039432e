package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.image.KernelArguments;
import java.io.IOException;
import java.util.List;

/** The kargs.d files parse, as install and every update will read them ({@link KernelArguments}). */
final class KernelArgumentsCheck implements LintCheck {

  @Override
  public String name() {
    return "kargs";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "every " + KernelArguments.DIRECTORY + "/*.toml parses (kargs = [\"...\"], match-architectures = [\"...\"])";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    try {
      KernelArguments.fromImage(root);
      return List.of();
    } catch (IOException e) {
      // fromImage names the file and line; anything else it cannot read is as fatal to install.
      return List.of(e.getMessage());
    }
  }
}
