package dev.bootj.cli.update;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.options.UpdateTargetOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.system.update.ResetReport;
import dev.bootj.system.update.ResetService;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bootj reset}. */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Factory reset: boot next into the image this machine runs, as it was installed.",
      "",
      "The slot that is not running gets the image the running slot holds (the same digest, from"
          + " the machine's own image store under /var/lib/bootj/store, or for --disk from that disk's"
          + " store or --store; no network) with that image's /etc exactly as shipped: none of the"
          + " machine's /etc changes are carried over, and /etc/machine-id is left empty, so the next"
          + " boot makes a new machine identity (systemd's first boot). The kernel arguments added at"
          + " install or by hand stay. The slot is written in full; its boot entry is written last,"
          + " with a boot counter, as for an update.",
      "",
      "The running slot is only read. It stays as the rollback entry, with the machine's /etc:"
          + " 'bootj rollback' before or after the reboot returns to it. A kill or power loss before"
          + " the last step leaves the machine booting what it booted.",
      "",
      "/var is kept unless --wipe-var is given. With it, the new slot's first boot, before /var is"
          + " mounted, makes a new filesystem on the state partition and fills it with the image's"
          + " /var, as at install, plus bootj's record of the slots: everything else in /var is lost"
          + " (logs, databases, container storage, home directories kept there, and bootj's image"
          + " store, so the next update downloads the whole image). A rollback after that boot"
          + " returns to the old slot's /etc but not to the old /var. The image must have mkfs for"
          + " the state partition's filesystem. --wipe-var needs --acknowledge-destructive.",
      "",
      "Must run as root."
    },
    footer = {
      "",
      "Examples:",
      "  bootj reset --apply                                    # reset /etc and machine-id, reboot",
      "  bootj reset --wipe-var --acknowledge-destructive       # also start /var afresh at the next boot",
      "  bootj reset --disk /srv/vm.img --json                  # a disk that is not running"
    })
public final class ResetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--wipe-var",
      description = "Also recreate /var from the image at the next boot (everything in /var is lost).")
  boolean wipeVar;

  @Option(names = "--acknowledge-destructive",
      description = "Confirm that --wipe-var may erase all of /var.")
  boolean acknowledged;

  @Mixin UpdateTargetOptions target;
  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (wipeVar && !acknowledged) {
      throw new IllegalArgumentException("--wipe-var erases everything in " + (target.offline()
          ? "the /var of " + target.disk() : "/var") + " at the next boot (logs, databases, container storage, home"
          + " directories kept there, bootj's image store); give --acknowledge-destructive as well to go ahead");
    }
    target.check("reset");
    PrintWriter err = spec.commandLine().getErr();
    ResetService.Outcome outcome = new ResetService(StoreOptions.of(spec).open(), access.toPullOptions(),
        output.progress(err), output.steps(err)).reset(target.disk(), wipeVar);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Json.print(out, ResetReport.of(outcome));
    } else {
      out.printf("Slot %s boots next: %s (%s) with the image's /etc and a new machine-id%s%n",
          outcome.result().slot().id().toUpperCase(Locale.ROOT), outcome.image().imageReference(),
          outcome.image().manifestDigest(), outcome.wipeVar() ? "; /var is recreated from the image at that boot" : "");
      out.printf("  slot %s, with this machine's /etc, is the rollback entry ('bootj rollback')%n",
          outcome.from().id().toUpperCase(Locale.ROOT));
      if (!target.offline() && !target.apply()) {
        out.println("  reboot to apply it (or give --apply next time)");
      }
      out.flush();
    }
    target.rebootIfAsked(err);
    return 0;
  }
}
