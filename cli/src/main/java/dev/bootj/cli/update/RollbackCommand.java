package dev.bootj.cli.update;

import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.UpdateTargetOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.update.RollbackReport;
import dev.bootj.system.update.RollbackService;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bootj rollback}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Make the other slot boot next.",
      "",
      "After a switch or upgrade that has not been rebooted into yet, this cancels it: the running"
          + " slot boots next again. Once the new image runs, this goes back to the previous one."
          + " Only the order of the boot entries changes (one rename on the EFI system partition);"
          + " no image is pulled, /etc and /var are left as they are. Rolling back twice returns to"
          + " where it started. A slot whose boot counter ran out (it failed to boot) is refused."
          + " Must run as root."
    })
public final class RollbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin UpdateTargetOptions target;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    target.check("rollback");
    RollbackService.Outcome outcome = new RollbackService().rollback(target.disk());
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Json.print(out, RollbackReport.of(outcome));
    } else {
      StateRecord.SlotRecord image = outcome.image();
      out.printf("Slot %s boots next instead of slot %s%s%n", outcome.result().to().id().toUpperCase(Locale.ROOT),
          outcome.result().from().id().toUpperCase(Locale.ROOT),
          image == null ? "" : ": " + image.imageReference() + " (" + image.manifestDigest() + ")");
      if (!target.offline() && !target.apply()) {
        out.println("  reboot to apply it (or give --apply next time)");
      }
      out.flush();
    }
    target.rebootIfAsked(spec.commandLine().getErr());
    return 0;
  }
}
