package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.disk.FilesystemProbe;
import dev.bootj.system.disk.FilesystemWriter;
import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.etc.EtcMerge;
import dev.bootj.system.etc.EtcMergePlan;
import dev.bootj.system.etc.MachineId;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.image.BootFiles;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.image.KernelArguments;
import dev.bootj.system.image.KernelLocator;
import dev.bootj.system.image.RootFootprint;
import dev.bootj.system.model.BootCounter;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.BootOrder;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.InstalledBootEntry;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.slot.Fstab;
import dev.bootj.system.slot.SlotPreparer;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Stages an unpacked image into the slot not in use, so that it boots next. {@link #plan} makes
 * every check and decision and refuses before the first write: the kernel and initramfs must be
 * there, the root must fit the slot, and the /etc merge must have no conflict. Then {@link #apply}
 * writes, in this order:
 *
 * <ol>
 *   <li>the other slot's boot entry is deleted: that slot is about to be overwritten, and from now
 *       on the machine can only boot the current slot; then its record in state.json;</li>
 *   <li>the other slot gets a new filesystem, filled from the staged tree (mkfs -d);</li>
 *   <li>its kernel and initramfs are copied to the ESP under /bootj/&lt;slot&gt;/;</li>
 *   <li>state.json records the slot's new image (written whole, then renamed);</li>
 *   <li>last, the new entry, {@code bootj-<slot>+3.conf} with the highest generation, is written
 *       under a temporary name and renamed: from that rename on, it boots next.</li>
 * </ol>
 *
 * <p>A kill or power loss before the last step leaves the machine booting the current slot,
 * unchanged; the next run starts again from step 1. The current slot is only ever read.
 */
public final class SlotUpdater {

  private static final String FSTAB = "fstab";

  private final CommandRunner commands;
  private final Clock clock;

  public SlotUpdater() {
    this(new CommandRunner(), Clock.systemUTC());
  }

  public SlotUpdater(CommandRunner commands, Clock clock) {
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * Everything decided before the first write: the new slot's kernel, size, kernel arguments and
   * merged /etc (already written beside the staged root, which is not the machine), and bootj's
   * files added to the staged tree.
   */
  public record Plan(UpdateTarget target, UpdateRequest request, Slot current, Slot next, PartitionTarget nextPartition,
      BootFiles bootFiles, RootFootprint footprint, BootOrder order, List<String> options, OsRelease osRelease,
      FilesystemType filesystem, int keptLocalChanges, long started) {}

  /** Checks, then writes: {@link #plan} and {@link #apply}. */
  public UpdateResult stage(UpdateTarget target, UpdateRequest request, Consumer<String> progress) throws IOException {
    return apply(plan(target, request, progress), progress);
  }

  /** Every check, and the /etc merge into the staged tree; nothing of the machine is written. */
  public Plan plan(UpdateTarget target, UpdateRequest request, Consumer<String> progress) throws IOException {
    long started = System.nanoTime();
    Slot current = target.currentSlot();
    Slot next = current.other();
    BootjDisk disk = target.disk();
    PartitionTarget nextPartition = target.otherSlot();

    progress.accept("Checking the new image");
    ImageRoot image = new ImageRoot(request.stagedRoot());
    BootFiles bootFiles;
    try {
      bootFiles = new KernelLocator().locate(image);
    } catch (KernelLocator.MissingKernelException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, e.getMessage() + "; nothing was changed");
    }
    RootFootprint footprint = RootFootprint.measure(request.stagedRoot());
    long needed = RootFootprint.neededFilesystemSize(footprint.rootBytes());
    if (needed > nextPartition.sizeBytes()) {
      throw new BootjException(BootjException.Kind.SYSTEM, "the new image needs a slot of "
          + ByteSize.format(needed) + " but slot " + next.id() + " has " + ByteSize.format(nextPartition.sizeBytes())
          + "; nothing was changed (install again with a larger --slot-size)");
    }
    BootOrder order = BootOrder.of(target.esp().entries());
    List<String> currentOptions = order.entry(current).map(InstalledBootEntry::options).orElse(List.of());
    List<String> options = KernelArgumentsUpdate.options(disk.slot(next).partUuid(), currentOptions,
        KernelArguments.fromImage(new ImageRoot(target.currentRoot())), KernelArguments.fromImage(image));

    Path currentRoot = target.currentRoot();
    EtcMerge merge = new EtcMerge();
    EtcMergePlan etcPlan;
    if (request.factoryReset()) {
      progress.accept("Taking the image's /etc as shipped, with a new machine-id (the machine's changes stay in slot "
          + current.id().toUpperCase(java.util.Locale.ROOT) + ")");
      etcPlan = merge.imageDefaults(request.stagedRoot().resolve("etc"));
    } else {
      progress.accept("Merging /etc (the machine's changes against the new image's defaults)");
      etcPlan = merge.plan(currentRoot.resolve("usr/etc"), currentRoot.resolve("etc"),
          request.stagedRoot().resolve("etc"));
    }
    Path mergedEtc = request.stagedRoot().resolveSibling(request.stagedRoot().getFileName() + ".etc");
    SubtreeDeleter.forThisProcess().delete(mergedEtc);
    merge.apply(etcPlan, mergedEtc);
    if (request.factoryReset()) {
      MachineId.clear(mergedEtc);
    }
    Fstab fstab = new Fstab(disk.slot(next), disk.partition(PartitionRole.STATE), disk.partition(PartitionRole.ESP),
        FilesystemProbe.of(disk.target(PartitionRole.of(current))));
    new SlotPreparer(commands).prepareUpdate(request.stagedRoot(), mergedEtc, fstab, disk.slot(current).partUuid());
    // bootj's own fstab differs from the image's by design; it is not a change of the user's.
    int kept = (int) etcPlan.localChanges().stream().filter(c -> !c.path().equals(FSTAB)).count();
    return new Plan(target, request, current, next, nextPartition, bootFiles, footprint, order, options,
        image.osRelease(), fstab.filesystem(), kept, started);
  }

  /** The writes, in the order the class comment gives; the current slot is only read. */
  public UpdateResult apply(Plan plan, Consumer<String> progress) throws IOException {
    UpdateTarget target = plan.target();
    Slot next = plan.next();
    retire(target, plan.order(), next);
    progress.accept("Writing slot " + next.id().toUpperCase(java.util.Locale.ROOT) + " ("
        + plan.filesystem().fstabName() + ", " + ByteSize.format(plan.footprint().rootBytes()) + ")");
    new FilesystemWriter(commands).write(plan.filesystem(), plan.nextPartition(), "root-" + next.id(),
        UUID.randomUUID(), plan.request().stagedRoot());
    copyKernel(target.esp(), next, plan.bootFiles(), progress);
    return activate(target, next, plan.bootFiles(), plan.request().image(), plan.osRelease(), plan.order(),
        plan.options(), plan.keptLocalChanges(), plan.started(),
        new UpdateResult.SlotWrite("full", plan.footprint().rootBytes()), progress);
  }

  /**
   * The first writes of any update of {@code next}: its boot entries go (from now on only the
   * current slot boots), then its state record (a run killed while the slot is written must not
   * leave a record of an image the slot no longer holds whole).
   */
  static void retire(UpdateTarget target, BootOrder order, Slot next) throws IOException {
    Esp esp = target.esp();
    for (InstalledBootEntry stale : order.entries()) {
      if (stale.slot() == next) {
        esp.delete(Esp.entryPath(stale.fileName()));
      }
    }
    esp.sync();
    new StateFile(target.stateRoot()).clearSlot(next);
    target.flush();
  }

  /** {@code next}'s kernel and initramfs to the ESP, under /bootj/&lt;slot&gt;/, which no entry names now. */
  static void copyKernel(Esp esp, Slot next, BootFiles bootFiles, Consumer<String> progress) throws IOException {
    progress.accept("Copying kernel " + bootFiles.kernelVersion() + " to the EFI system partition");
    esp.copyIn(bootFiles.kernel(), BootEntry.kernelPath(next));
    esp.copyIn(bootFiles.initramfs(), BootEntry.initrdPath(next));
  }

  /**
   * The last writes of any update, once {@code next}'s root is complete and on the disk and its
   * kernel copied: state.json records its image, and last its entry is written: from that rename
   * on, it boots next.
   */
  UpdateResult activate(UpdateTarget target, Slot next, BootFiles bootFiles, ImageIdentity image, OsRelease osRelease,
      BootOrder order, List<String> options, int keptLocalChanges, long started, UpdateResult.SlotWrite written,
      Consumer<String> progress) throws IOException {
    Esp esp = target.esp();
    new StateFile(target.stateRoot()).writeSlot(next, new StateRecord.SlotRecord(image.reference(),
        image.manifestDigest(), image.version(), bootFiles.kernelVersion(), Instant.now(clock).toString(),
        image.signature()));
    target.flush();

    BootEntry entry = new BootEntry(next, BootEntry.title(osRelease, image, next),
        order.nextGeneration(), bootFiles.kernelVersion(), BootEntry.kernelPath(next),
        BootEntry.initrdPath(next), options, BootCounter.fresh(BootEntry.TRIES));
    progress.accept("Making slot " + next.id().toUpperCase(java.util.Locale.ROOT) + " the next boot ("
        + entry.fileName() + ")");
    esp.writeAtomically(Esp.entryPath(entry.fileName()), entry.text());
    esp.sync();
    target.flush();
    return new UpdateResult(next, entry, keptLocalChanges, Duration.ofNanos(System.nanoTime() - started), written);
  }
}
