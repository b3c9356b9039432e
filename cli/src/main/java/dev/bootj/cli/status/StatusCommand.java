package dev.bootj.cli.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.cli.output.Json;
import dev.bootj.installer.DiskStatus;
import dev.bootj.installer.DiskStatusReader;
import dev.bootj.installer.Slot;
import dev.bootj.installer.StateRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bootj status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show which image each slot holds, which slot is running and which boots next.",
      "",
      "Without --disk, describes the running machine: the booted slot is the one whose PARTUUID"
          + " is the root= of the kernel command line, the default slot comes from the EFI system"
          + " partition (mounted at /efi, /boot/efi or /boot), and what each slot holds from"
          + " /var/lib/bootj/state.json. Reading the EFI system partition needs root.",
      "",
      "With --disk, reads a disk or disk image that is not running, without changing a byte."
    })
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--disk", paramLabel = "TARGET",
      description = "A bootj disk (block device or image file) that is not running.")
  Path disk;

  @Option(names = "--json", description = "Print the status as one JSON object on stdout, for scripts.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    DiskStatus status = disk != null ? new DiskStatusReader().read(disk) : new DiskStatusReader().readBooted();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, toJson(status));
      return 0;
    }
    out.printf("Disk %s%s%n", status.disk() == null ? "(not found)" : status.disk(),
        status.bootedSlot() == null ? "" : ", running slot " + status.bootedSlot().id().toUpperCase(Locale.ROOT));
    for (Slot slot : Slot.values()) {
      DiskStatus.SlotStatus s = status.slots().get(slot);
      String name = "slot " + slot.id().toUpperCase(Locale.ROOT);
      String marks = (slot == status.bootedSlot() ? "  (booted)" : "") + (slot == status.defaultSlot() ? "  (default)" : "");
      if (s == null || s.image() == null) {
        out.printf("  %s: empty%s%n", name, marks);
        continue;
      }
      StateRecord.SlotRecord image = s.image();
      out.printf("  %s: %s%s%n", name, image.imageReference(), marks);
      out.printf("      digest     %s%n", image.manifestDigest());
      if (image.version() != null) {
        out.printf("      version    %s%n", image.version());
      }
      out.printf("      installed  %s%n", image.installedAt());
      out.printf("      kernel     %s%n", image.kernelVersion());
      out.printf("      boot entry %s%n", s.hasBootEntry() ? s.bootEntryTitle() : "(none)");
    }
    out.flush();
    return 0;
  }

  static ObjectNode toJson(DiskStatus status) {
    ObjectNode node = Json.object();
    node.put("disk", status.disk() == null ? null : status.disk().toString());
    node.put("booted", status.bootedSlot() == null ? null : status.bootedSlot().id());
    node.put("default", status.defaultSlot() == null ? null : status.defaultSlot().id());
    ObjectNode slots = node.putObject("slots");
    for (Slot slot : Slot.values()) {
      DiskStatus.SlotStatus s = status.slots().get(slot);
      ObjectNode slotNode = slots.putObject(slot.id());
      if (s == null) {
        slotNode.put("empty", true);
        continue;
      }
      slotNode.put("partUuid", s.partUuid().toString());
      slotNode.put("bootEntry", s.hasBootEntry() ? s.bootEntryTitle() : null);
      slotNode.put("kernelOptions", s.kernelOptions());
      if (s.image() != null) {
        slotNode.put("image", s.image().imageReference());
        slotNode.put("digest", s.image().manifestDigest());
        slotNode.put("version", s.image().version());
        slotNode.put("kernelVersion", s.image().kernelVersion());
        slotNode.put("installedAt", s.image().installedAt());
      }
      slotNode.put("empty", s.image() == null);
    }
    return node;
  }
}
