package dev.bootj.cli.config;

import dev.bootj.cli.output.Json;
import dev.bootj.system.etc.LocalChange;
import dev.bootj.system.etc.LocalEtcChanges;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bootj config-diff}. */
@Command(
    name = "config-diff",
    mixinStandardHelpOptions = true,
    description = {
      "List this machine's local changes to /etc.",
      "",
      "bootj keeps the image's pristine /etc in /usr/etc. Every file, directory or link that was"
          + " added, changed (content, mode, owner, xattrs, link target, type) or deleted in /etc"
          + " since the image was installed is listed, one per line. These are the changes an"
          + " update carries over to the new image by the three-way merge."
    })
public final class ConfigDiffCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
      description = "Inspect the system whose root is DIR, e.g. a slot mounted elsewhere (default: /).")
  Path root;

  @Option(names = "--json", description = "Print the changes as one JSON object on stdout, for scripts.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<LocalChange> changes = new LocalEtcChanges().ofSystem(root);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, EtcChangesReport.of(changes));
      return 0;
    }
    if (changes.isEmpty()) {
      out.println("No local changes to /etc.");
    }
    changes.forEach(c -> out.println(c.describe()));
    out.flush();
    return 0;
  }
}
