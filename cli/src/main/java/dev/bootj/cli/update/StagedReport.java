package dev.bootj.cli.update;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.cli.output.Json;
import dev.bootj.common.ByteSize;
import java.io.PrintWriter;
import java.util.Locale;

/** What switch and upgrade print once they are done: the same fields as text or as JSON. */
final class StagedReport {

  private StagedReport() {}

  static void print(PrintWriter out, boolean json, ImageStaging.Outcome outcome, String target, boolean offline) {
    if (json) {
      ObjectNode node = Json.object();
      node.put("target", target);
      node.put("reference", outcome.image().reference());
      node.put("digest", outcome.image().manifestDigest().toString());
      node.put("version", outcome.image().config().labels().get("org.opencontainers.image.version"));
      node.put("changed", outcome.result() != null);
      if (outcome.result() == null) {
        node.put("reason", outcome.unchanged());
      } else {
        node.put("slot", outcome.result().slot().id());
        node.put("bootEntry", outcome.result().entry().fileName());
        node.put("kernelVersion", outcome.result().entry().kernelVersion());
        node.put("kernelOptions", String.join(" ", outcome.result().entry().options()));
        node.put("keptLocalEtcChanges", outcome.result().keptLocalChanges());
        node.put("downloadedBytes", outcome.unpacked().image().downloadedBytes());
        node.put("layersDownloaded", outcome.unpacked().image().layersDownloaded());
        node.put("layers", outcome.unpacked().image().manifest().layers().size());
        node.put("seconds", outcome.result().elapsed().toMillis() / 1000.0);
      }
      Json.print(out, node);
      return;
    }
    if (outcome.result() == null) {
      out.println("Nothing to do: " + outcome.unchanged());
      out.flush();
      return;
    }
    String slot = outcome.result().slot().id().toUpperCase(Locale.ROOT);
    out.printf("Staged %s%n  digest %s%n  into slot %s of %s; it boots next (%d tries, then back to the current slot)%n",
        outcome.image().reference(), outcome.image().manifestDigest(), slot, target,
        dev.bootj.system.model.BootEntry.TRIES);
    out.printf("  downloaded %s in %d of %d layers; %d local /etc change(s) kept%n",
        ByteSize.format(outcome.unpacked().image().downloadedBytes()), outcome.unpacked().image().layersDownloaded(),
        outcome.unpacked().image().manifest().layers().size(), outcome.result().keptLocalChanges());
    if (!offline) {
      out.println("  reboot to apply it (or give --apply next time)");
    }
    out.flush();
  }
}
