package dev.bootj.cli.update;

import dev.bootj.cli.output.Json;
import dev.bootj.common.ByteSize;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.update.UpdateReport;
import dev.bootj.system.update.UpdateService;
import java.io.PrintWriter;
import java.util.Locale;

/** What switch and upgrade print once they are done: the same facts as text or as JSON. */
final class StagedReport {

  private StagedReport() {}

  static void print(PrintWriter out, boolean json, UpdateService.Outcome outcome, boolean offline) {
    if (json) {
      Json.print(out, UpdateReport.of(outcome));
      return;
    }
    if (outcome.downloadedOnly()) {
      out.printf("Downloaded %s%n  digest %s%n  %s in %d of %d layers; nothing was staged%n", outcome.image().reference(),
          outcome.image().manifestDigest(), ByteSize.format(outcome.pulled().downloadedBytes()),
          outcome.pulled().layersDownloaded(), outcome.pulled().manifest().layers().size());
      out.println("  stage it with --from-downloaded (no network needed)");
      out.flush();
      return;
    }
    if (!outcome.changed()) {
      out.println("Nothing to do: " + outcome.unchanged());
      out.flush();
      return;
    }
    String slot = outcome.result().slot().id().toUpperCase(Locale.ROOT);
    out.printf("Staged %s%n  digest %s%n  into slot %s of %s; it boots next (%d tries, then back to the current slot)%n",
        outcome.image().reference(), outcome.image().manifestDigest(), slot, outcome.target(), BootEntry.TRIES);
    out.printf("  downloaded %s in %d of %d layers; %d local /etc change(s) kept%n",
        ByteSize.format(outcome.pulled().downloadedBytes()), outcome.pulled().layersDownloaded(),
        outcome.pulled().manifest().layers().size(), outcome.result().keptLocalChanges());
    out.printf("  %s: %s of files written%n", outcome.result().written().method().equals("patch")
        ? "patched in place (only what changed)" : "written in full", ByteSize.format(outcome.result().written().fileBytes()));
    if (!offline) {
      out.println("  reboot to apply it (or give --apply next time)");
    }
    out.flush();
  }
}
