package dev.bootj.cli.status;

import dev.bootj.cli.output.Json;
import dev.bootj.common.BootjException;
import dev.bootj.system.autoupdate.AutoUpdateStatus;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.HostStatus;
import dev.bootj.system.status.StatusService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      "On the running machine it also shows the automatic updates: the mode and window of"
          + " update.toml, the last cycle of 'bootj auto-update' (and when a staged update will be"
          + " rebooted into), and the digests that failed to boot and are never staged again.",
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
    StatusService service = new StatusService();
    PrintWriter out = spec.commandLine().getOut();
    DiskStatus status = disk != null ? service.diskStatus(disk) : service.bootedStatus();
    HostStatus.AutoUpdate autoUpdate = disk != null ? null : autoUpdate();
    if (json) {
      Json.print(out, HostStatus.of(status).withAutoUpdate(autoUpdate));
      return 0;
    }
    print(out, status, autoUpdate);
    return 0;
  }

  /** The human status: each slot's image and how it was accepted, the boot order, the automatic updates. */
  static void print(PrintWriter out, DiskStatus status, HostStatus.AutoUpdate autoUpdate) {
    out.printf("Disk %s%s%n", status.disk() == null ? "(not found)" : status.disk(),
        status.bootedSlot() == null ? "" : ", running slot " + upper(status.bootedSlot()));
    for (Slot slot : Slot.values()) {
      DiskStatus.SlotStatus s = status.slots().get(slot);
      String name = "slot " + upper(slot);
      String marks = marks(status, slot);
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
      out.printf("      signature  %s%n", image.signature() == null ? "(not recorded)" : image.signature().summary());
      out.printf("      boot entry %s%n", s.hasBootEntry() ? s.bootEntryTitle() + " [" + counterText(s) + "]" : "(none)");
    }
    if (status.failedSlot() != null) {
      DiskStatus.SlotStatus failed = status.slots().get(status.failedSlot());
      String what = failed == null || failed.image() == null ? "" : " (" + failed.image().imageReference() + ", "
          + failed.image().manifestDigest() + ")";
      out.printf("Rollback happened: slot %s%s failed to boot %d times; slot %s boots instead%n",
          upper(status.failedSlot()), what, failed == null || failed.counter() == null ? 0 : failed.counter().triesDone(),
          status.defaultSlot() == null ? "-" : upper(status.defaultSlot()));
    } else if (status.staged()) {
      out.printf("Staged: slot %s boots next; reboot to apply it%n", upper(status.defaultSlot()));
    }
    if (autoUpdate != null) {
      printAutoUpdate(out, autoUpdate);
    }
    out.flush();
  }

  /** Null, with a warning, when update.toml cannot be read: status still shows the slots. */
  private HostStatus.AutoUpdate autoUpdate() throws IOException {
    try {
      return AutoUpdateStatus.read(Path.of("/"), Path.of("/var"));
    } catch (BootjException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("warning: " + e.getMessage());
      err.flush();
      return null;
    }
  }

  private static void printAutoUpdate(PrintWriter out, HostStatus.AutoUpdate auto) {
    out.printf("Automatic updates: mode %s, %s%n", auto.mode(),
        auto.window().isEmpty() ? "reboots at any time" : "reboots only in " + String.join("; ", auto.window()));
    HostStatus.LastCycle last = auto.lastCycle();
    if (last == null) {
      out.println("  last cycle: none yet");
    } else {
      out.printf("  last cycle: %s, %s: %s%n", last.finishedAt(), last.outcome(), last.message());
      if (last.rebootAt() != null) {
        out.printf("  reboots into the staged update at %s%n", last.rebootAt());
      }
    }
    for (HostStatus.FailedDigest failed : auto.failedDigests()) {
      out.printf("  never staged again: %s (%s%s), failed to boot here%n", failed.digest(),
          failed.image() == null ? "?" : failed.image(), failed.version() == null ? "" : ", version " + failed.version());
    }
  }

  private static String upper(Slot slot) {
    return slot.id().toUpperCase(Locale.ROOT);
  }

  private static String marks(DiskStatus status, Slot slot) {
    List<String> marks = new ArrayList<>();
    if (slot == status.bootedSlot()) {
      marks.add("booted");
    }
    if (slot == status.defaultSlot()) {
      marks.add(status.staged() ? "staged, boots next" : "default");
    }
    if (slot == status.rollbackSlot()) {
      marks.add("rollback");
    }
    if (slot == status.failedSlot()) {
      marks.add("FAILED");
    }
    return marks.isEmpty() ? "" : "  (" + String.join(", ", marks) + ")";
  }

  private static String counterText(DiskStatus.SlotStatus s) {
    return s.counter() == null ? "good" : HostStatus.counterState(s) + ", " + s.counter().triesLeft() + " tries left, "
        + s.counter().triesDone() + " done";
  }
}
