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
import dev.bootj.system.model.InstalledBootEntry;
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
 * Stages an unpacked image into the slot not in use, so that it boots next. Everything that can
 * refuse does so before the first write: the kernel and initramfs must be there, the root must fit
 * the slot, and the /etc merge must have no conflict. Then, in this order:
 *
 * <ol>
 *   <li>the other slot's boot entry is deleted: that slot is about to be overwritten, and from now
 *       on the machine can only boot the current slot;</li>
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

  public UpdateResult stage(UpdateTarget target, UpdateRequest request, Consumer<String> progress) throws IOException {
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

    progress.accept("Merging /etc (the machine's changes against the new image's defaults)");
    Path currentRoot = target.currentRoot();
    EtcMerge merge = new EtcMerge();
    EtcMergePlan plan = merge.plan(currentRoot.resolve("usr/etc"), currentRoot.resolve("etc"),
        request.stagedRoot().resolve("etc"));
    Path mergedEtc = request.stagedRoot().resolveSibling(request.stagedRoot().getFileName() + ".etc");
    SubtreeDeleter.forThisProcess().delete(mergedEtc);
    merge.apply(plan, mergedEtc);
    Fstab fstab = new Fstab(disk.slot(next), disk.partition(PartitionRole.STATE), disk.partition(PartitionRole.ESP),
        FilesystemProbe.of(disk.target(PartitionRole.of(current))));
    new SlotPreparer(commands).prepareUpdate(request.stagedRoot(), mergedEtc, fstab, disk.slot(current).partUuid());

    // From here on the machine is written to; until the last step it boots the current slot.
    Esp esp = target.esp();
    for (InstalledBootEntry stale : order.entries()) {
      if (stale.slot() == next) {
        esp.delete(Esp.entryPath(stale.fileName()));
      }
    }
    esp.sync();
    FilesystemType filesystem = fstab.filesystem();
    progress.accept("Writing slot " + next.id().toUpperCase(java.util.Locale.ROOT) + " ("
        + filesystem.fstabName() + ", " + ByteSize.format(footprint.rootBytes()) + ")");
    new FilesystemWriter(commands).write(filesystem, nextPartition, "root-" + next.id(), UUID.randomUUID(),
        request.stagedRoot());

    progress.accept("Copying kernel " + bootFiles.kernelVersion() + " to the EFI system partition");
    esp.copyIn(bootFiles.kernel(), BootEntry.kernelPath(next));
    esp.copyIn(bootFiles.initramfs(), BootEntry.initrdPath(next));

    new StateFile(target.stateRoot()).writeSlot(next, new StateRecord.SlotRecord(request.image().reference(),
        request.image().manifestDigest(), request.image().version(), bootFiles.kernelVersion(),
        Instant.now(clock).toString()));
    target.flush();

    BootEntry entry = new BootEntry(next, BootEntry.title(image.osRelease(), request.image(), next),
        order.nextGeneration(), bootFiles.kernelVersion(), BootEntry.kernelPath(next), BootEntry.initrdPath(next),
        options, BootCounter.fresh(BootEntry.TRIES));
    progress.accept("Making slot " + next.id().toUpperCase(java.util.Locale.ROOT) + " the next boot ("
        + entry.fileName() + ")");
    esp.writeAtomically(Esp.entryPath(entry.fileName()), entry.text());
    esp.sync();
    target.flush();
    // bootj's own fstab differs from the image's by design; it is not a change of the user's.
    int kept = (int) plan.localChanges().stream().filter(c -> !c.path().equals(FSTAB)).count();
    return new UpdateResult(next, entry, kept, Duration.ofNanos(System.nanoTime() - started));
  }
}
