package dev.bootj.cli.update;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.cli.OutputOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.update.Rollback;
import dev.bootj.system.update.UpdateLock;
import dev.bootj.system.update.UpdateTarget;
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
    Rollback.Result result;
    StateRecord.SlotRecord image;
    String description;
    try (UpdateLock lock = target.lock(); UpdateTarget machine = target.open(new CommandRunner())) {
      description = machine.description();
      result = new Rollback().rollback(machine);
      DiskStatus.SlotStatus to = machine.status().slots().get(result.to());
      image = to == null ? null : to.image();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      ObjectNode node = Json.object();
      node.put("target", description);
      node.put("from", result.from().id());
      node.put("to", result.to().id());
      node.put("reference", image == null ? null : image.imageReference());
      node.put("digest", image == null ? null : image.manifestDigest());
      node.put("version", image == null ? null : image.version());
      Json.print(out, node);
    } else {
      out.printf("Slot %s boots next instead of slot %s%s%n", result.to().id().toUpperCase(Locale.ROOT),
          result.from().id().toUpperCase(Locale.ROOT),
          image == null ? "" : ": " + image.imageReference() + " (" + image.manifestDigest() + ")");
      if (!target.offline() && !target.apply()) {
        out.println("  reboot to apply it (or give --apply next time)");
      }
      out.flush();
    }
    if (target.apply()) {
      Reboot.now(spec.commandLine().getErr());
    }
    return 0;
  }
}
