package dev.bootj.cli.update;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.Privileges;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.system.autoupdate.AutoUpdateRecord;
import dev.bootj.system.autoupdate.AutoUpdateReport;
import dev.bootj.system.autoupdate.AutoUpdateService;
import dev.bootj.system.autoupdate.UpdatePolicy;
import dev.bootj.system.update.UpdateService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bootj auto-update}: one unattended update cycle, what bootj-update.service runs. */
@Command(
    name = "auto-update",
    mixinStandardHelpOptions = true,
    description = {
      "Run one unattended update cycle on this machine, as far as its update policy allows.",
      "",
      "The policy is /usr/lib/bootj/update.toml (the image's defaults), overridden key by key by"
          + " /etc/bootj/update.toml: mode = \"off\" | \"check\" | \"download\" | \"stage\" |"
          + " \"apply\", and window = \"Sat,Sun 02:00-05:00\" (one span or a list; local time; a span"
          + " may run past midnight), when a reboot may happen. Without either file the mode is"
          + " \"check\".",
      "",
      "check resolves the tag the machine follows (as 'bootj upgrade --check'); download also"
          + " fetches the missing layers (as 'bootj upgrade --download-only'); stage also writes the"
          + " other slot (as 'bootj upgrade'); apply then reboots into it inside the window, or"
          + " starts a one-off timer that runs the next cycle when the window opens.",
      "",
      "A digest that failed to boot on this machine (systemd-boot fell back after three tries) is"
          + " remembered and never staged again; the machine waits until the tag names another"
          + " image. A cycle that finds another bootj updating skips. Each cycle is recorded in"
          + " /var/lib/bootj/auto-update.json (shown by 'bootj status') and in the journal with a"
          + " stable MESSAGE_ID per outcome (journalctl -t bootj). A malformed update.toml fails with"
          + " one line naming the file and the key, and nothing is done. Must run as root.",
      "",
      "bootj-update.timer runs this an hour after boot, then every 8 hours (with a random delay);"
          + " change that with a systemd drop-in."
    })
public final class AutoUpdateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Privileges.requireRoot("auto-update writes the other slot, the EFI system partition and /var/lib/bootj");
    // Read first: a malformed file stops the cycle before anything else is touched.
    UpdatePolicy policy = UpdatePolicy.load(Path.of("/"));
    PrintWriter err = spec.commandLine().getErr();
    // Every step is logged, terminal or not: under bootj-update.service they are the journal's
    // account of what the cycle did (which slot, patched or written in full, and why).
    Consumer<String> steps = output.steps(err, true);
    UpdateService updates = new UpdateService(StoreOptions.of(spec).open(), access.toPullOptions(),
        output.progress(err), steps);
    AutoUpdateRecord.Cycle cycle = new AutoUpdateService(updates, Path.of("/"), Path.of("/var"),
        Clock.systemDefaultZone(), steps).run();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Json.print(out, AutoUpdateReport.of(cycle, policy));
    } else {
      out.println(cycle.outcome() + ": " + cycle.message());
      out.flush();
    }
    return 0;
  }
}
