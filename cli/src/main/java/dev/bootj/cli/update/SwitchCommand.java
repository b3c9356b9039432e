package dev.bootj.cli.update;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.options.UpdateScopeOptions;
import dev.bootj.cli.options.UpdateTargetOptions;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.system.update.UpdateService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bootj switch}. */
@Command(
    name = "switch",
    mixinStandardHelpOptions = true,
    description = {
      "Stage another OS image into the slot that is not running; it boots next.",
      "",
      "IMAGE is resolved to a digest; only layers missing from the store are downloaded. The image"
          + " is unpacked under /var/lib/bootj/staging, the machine's /etc is merged three ways with"
          + " the new image's (local changes are kept; a change that cannot be merged refuses the"
          + " switch before anything is written), the other slot is patched in place when bootj knows"
          + " which image it holds (only what differs is written) or else gets a new filesystem, and"
          + " its boot entry is written last, with a boot counter of 3: if the new image does not reach"
          + " boot-complete.target three times, systemd-boot goes back to the current slot by itself."
          + " /var is shared by both slots and is never touched. The running slot is only read.",
      "",
      "The machine then follows IMAGE: 'bootj upgrade' looks for a new digest of the same tag."
          + " A reference by digest (IMAGE@sha256:...) pins the machine to that digest.",
      "",
      "--download-only and --from-downloaded split a switch in two: fetch now, stage later without"
          + " network.",
      "",
      "A kill or power loss at any point before the last step leaves the machine booting the"
          + " current slot, unchanged; run the command again. Must run as root."
    })
public final class SwitchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "IMAGE", description = "The image to switch to (see 'bootj image --help' for the forms).")
  String image;

  @Mixin UpdateTargetOptions target;
  @Mixin UpdateScopeOptions scope;
  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(image);
    UpdateService.Options options = UpdateService.Options.of(scope.scope(target));
    target.check("switch");
    PrintWriter err = spec.commandLine().getErr();
    UpdateService.Outcome outcome = new UpdateService(StoreOptions.of(spec).open(), access.toPullOptions(),
        output.progress(err), output.steps(err)).switchTo(target.disk(), reference, options);
    StagedReport.print(spec.commandLine().getOut(), output.json(), outcome, target.offline());
    if (outcome.changed()) {
      target.rebootIfAsked(err);
    }
    return 0;
  }
}
