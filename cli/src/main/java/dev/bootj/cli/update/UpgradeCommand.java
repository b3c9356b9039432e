package dev.bootj.cli.update;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.options.UpdateScopeOptions;
import dev.bootj.cli.options.UpdateTargetOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.common.ByteSize;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.update.UpdateService;
import dev.bootj.system.update.UpgradeCheckReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bootj upgrade}. */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = {
      "Stage the newest image of the tag this machine follows, if its digest changed.",
      "",
      "The tag is the image reference of the slot that boots next, as 'bootj status' shows it. The"
          + " tag is resolved again; when it still names the same digest nothing happens. Otherwise"
          + " the new image is staged exactly as 'bootj switch' does. A machine switched to a"
          + " reference by digest is pinned: upgrade does nothing until it is switched to a tag.",
      "",
      "--download-only fetches the update into the store and stops; --from-downloaded later stages"
          + " what was fetched, with no network (the two steps the update timer's 'download' and"
          + " 'stage' modes take).",
      "",
      "With --check, only the manifest and the config are fetched: upgrade prints the new digest,"
          + " the layers that would be downloaded and their size, and whether this machine's signature"
          + " policy accepts it (of a refused image only the manifest is read), and changes nothing. Must run as"
          + " root (--check too, to read the EFI system partition)."
    })
public final class UpgradeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--check", description = "Only say whether there is an update and what it would download.")
  boolean check;

  @Mixin UpdateTargetOptions target;
  @Mixin UpdateScopeOptions scope;
  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (check && target.apply()) {
      throw new IllegalArgumentException("--check changes nothing, so there is nothing to --apply");
    }
    if (check && scope.any()) {
      throw new IllegalArgumentException("--check only looks; it cannot be given with --download-only or --from-downloaded");
    }
    UpdateService.Options options = UpdateService.Options.of(scope.scope(target));
    target.check("upgrade");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    UpdateService service = new UpdateService(StoreOptions.of(spec).open(), access.toPullOptions(),
        output.progress(err), output.steps(err));
    if (check) {
      printCheck(out, service.check(target.disk()));
      return 0;
    }
    UpdateService.Outcome outcome = service.upgrade(target.disk(), options);
    StagedReport.print(out, output.json(), outcome, target.offline());
    if (outcome.changed()) {
      target.rebootIfAsked(err);
    }
    return 0;
  }

  private void printCheck(PrintWriter out, UpdateService.Check check) {
    if (output.json()) {
      Json.print(out, UpgradeCheckReport.of(check));
      return;
    }
    StateRecord.SlotRecord current = check.current();
    if (check.pinned()) {
      out.println("Nothing to do: this machine is pinned to " + current.imageReference()
          + "; 'bootj switch IMAGE:TAG' makes it follow a tag again");
    } else if (!check.updateAvailable()) {
      out.printf("No update: %s still resolves to %s%n", current.imageReference(), current.manifestDigest());
    } else if (check.refusal() != null) {
      out.printf("Update available for %s%n  current %s%n  latest  %s%n", current.imageReference(),
          current.manifestDigest(), check.latestDigest());
      out.printf("  refused: %s%n  'bootj upgrade' would stop before downloading it%n", check.refusal());
    } else {
      String version = check.latest().config().labels().get(ImageIdentity.VERSION_LABEL);
      out.printf("Update available for %s%n  current %s%n  latest  %s%s%n", current.imageReference(),
          current.manifestDigest(), check.latestDigest(), version == null ? "" : " (version " + version + ")");
      out.printf("  to download: %d of %d layers, %s%n", check.layersToDownload().size(),
          check.latest().manifest().layers().size(), ByteSize.format(check.downloadBytes()));
      check.layersToDownload().forEach(l -> out.printf("    %s  %s%n", l.digest(), ByteSize.format(l.size())));
      out.printf("  accepted: %s%n  run 'bootj upgrade' to stage it%n", check.acceptance().summary());
    }
    out.flush();
  }
}
