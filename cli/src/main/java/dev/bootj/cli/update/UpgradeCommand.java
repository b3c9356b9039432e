package dev.bootj.cli.update;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.cli.BootjCommand;
import dev.bootj.cli.ImageAccessOptions;
import dev.bootj.cli.OutputOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.ImageInspector;
import dev.bootj.oci.InspectedImage;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.DiskStatusReader;
import dev.bootj.system.update.UpdateLock;
import dev.bootj.system.update.UpdateTarget;
import java.io.PrintWriter;
import java.util.List;
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
      "With --check, only the manifest and the config are fetched: upgrade prints the new digest,"
          + " the layers that would be downloaded and their size, and changes nothing. Must run as"
          + " root (--check too, to read the EFI system partition)."
    })
public final class UpgradeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--check", description = "Only say whether there is an update and what it would download.")
  boolean check;

  @Mixin UpdateTargetOptions target;
  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (check && target.apply()) {
      throw new IllegalArgumentException("--check changes nothing, so there is nothing to --apply");
    }
    target.check("upgrade");
    BootjCommand root = (BootjCommand) spec.root().userObject();
    PrintWriter out = spec.commandLine().getOut();
    if (check) {
      DiskStatus status = target.offline() ? new DiskStatusReader().read(target.disk)
          : new DiskStatusReader().readBooted();
      StateRecord.SlotRecord current = tracked(status);
      ImageReference reference = ImageReference.parse(current.imageReference());
      if (pinned(reference)) {
        return reportPinned(out, current);
      }
      BlobStore store = root.openStore();
      InspectedImage latest = new ImageInspector(store, access.toPullOptions()).inspect(reference, PullPolicy.ALWAYS);
      reportCheck(out, current, latest, store);
      return 0;
    }
    PrintWriter err = spec.commandLine().getErr();
    ImageStaging.Outcome outcome;
    String description;
    try (UpdateLock lock = target.lock(); UpdateTarget machine = target.open(new CommandRunner())) {
      description = machine.description();
      StateRecord.SlotRecord current = tracked(machine.status());
      ImageReference reference = ImageReference.parse(current.imageReference());
      if (pinned(reference)) {
        return reportPinned(out, current);
      }
      ProgressPrinter printer = output.progressPrinter(err);
      outcome = new ImageStaging(root.openStore(), access.toPullOptions(), printer, err, target.stagingDirectory())
          .stage(reference, machine);
    }
    StagedReport.print(out, output.json(), outcome, description, target.offline());
    if (target.apply() && outcome.result() != null) {
      Reboot.now(err);
    }
    return 0;
  }

  private static StateRecord.SlotRecord tracked(DiskStatus status) throws BootjException {
    DiskStatus.SlotStatus next = status.defaultSlot() == null ? null : status.slots().get(status.defaultSlot());
    if (next == null || next.image() == null) {
      throw new BootjException(BootjException.Kind.SYSTEM, "bootj has no record of the image in the slot that"
          + " boots next, so there is no tag to follow; use 'bootj switch IMAGE'");
    }
    return next.image();
  }

  private static boolean pinned(ImageReference reference) {
    return reference instanceof RegistryReference r && r.digestIfPinned().isPresent();
  }

  private int reportPinned(PrintWriter out, StateRecord.SlotRecord current) {
    if (output.json()) {
      ObjectNode node = Json.object();
      node.put("reference", current.imageReference());
      node.put("digest", current.manifestDigest());
      node.put("pinned", true);
      node.put("updateAvailable", false);
      node.put("changed", false);
      Json.print(out, node);
    } else {
      out.println("Nothing to do: this machine is pinned to " + current.imageReference()
          + "; 'bootj switch IMAGE:TAG' makes it follow a tag again");
      out.flush();
    }
    return 0;
  }

  private void reportCheck(PrintWriter out, StateRecord.SlotRecord current, InspectedImage latest, BlobStore store) {
    boolean available = !latest.manifestDigest().toString().equals(current.manifestDigest());
    List<Descriptor> missing = latest.manifest().layers().stream().filter(l -> !store.contains(l.digest())).toList();
    long bytes = missing.stream().mapToLong(Descriptor::size).sum();
    String version = latest.config().labels().get("org.opencontainers.image.version");
    if (output.json()) {
      ObjectNode node = Json.object();
      node.put("reference", current.imageReference());
      node.put("currentDigest", current.manifestDigest());
      node.put("latestDigest", latest.manifestDigest().toString());
      node.put("latestVersion", version);
      node.put("updateAvailable", available);
      node.put("downloadBytes", available ? bytes : 0);
      ArrayNode layers = node.putArray("layersToDownload");
      if (available) {
        missing.forEach(l -> layers.addObject().put("digest", l.digest().toString()).put("size", l.size()));
      }
      Json.print(out, node);
      return;
    }
    if (!available) {
      out.printf("No update: %s still resolves to %s%n", current.imageReference(), current.manifestDigest());
    } else {
      out.printf("Update available for %s%n  current %s%n  latest  %s%s%n", current.imageReference(),
          current.manifestDigest(), latest.manifestDigest(), version == null ? "" : " (version " + version + ")");
      out.printf("  to download: %d of %d layers, %s%n", missing.size(), latest.manifest().layers().size(),
          ByteSize.format(bytes));
      missing.forEach(l -> out.printf("    %s  %s%n", l.digest(), ByteSize.format(l.size())));
      out.println("  run 'bootj upgrade' to stage it");
    }
    out.flush();
  }
}
