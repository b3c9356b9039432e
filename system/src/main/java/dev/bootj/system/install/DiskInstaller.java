package dev.bootj.system.install;

import dev.bootj.common.ByteSize;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.oci.store.ImageCopy;
import dev.bootj.system.disk.FilesystemWriter;
import dev.bootj.system.disk.PartitionTarget;
import dev.bootj.system.disk.Partitioner;
import dev.bootj.system.disk.TargetDisk;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.esp.MtoolsEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.LoaderConfig;
import dev.bootj.system.model.PartitionLayout;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.slot.Fstab;
import dev.bootj.system.slot.SlotPreparer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code bootj install to-disk}: an A/B disk from an unpacked image. Preflight first (nothing is
 * written if it fails); then partition, prepare the trees, write slot A, the state partition and
 * the ESP, and flush. Slot A is installed and default; slot B gets no filesystem (the first update
 * makes one, since every update rebuilds the slot it writes), only its first MiB is zeroed so no
 * filesystem from an earlier life of the disk shows up there.
 */
public final class DiskInstaller {

  private static final int SLOT_B_CLEAR_BYTES = 1024 * 1024;

  private final CommandRunner commands;
  private final Preflight preflight;
  private final Clock clock;

  public DiskInstaller() {
    this(new CommandRunner(), new Preflight(), Clock.systemUTC());
  }

  DiskInstaller(CommandRunner commands, Preflight preflight, Clock clock) {
    this.commands = commands;
    this.preflight = preflight;
    this.clock = clock;
  }

  public InstallResult install(InstallRequest request, Consumer<String> progress) throws IOException {
    long started = System.nanoTime();
    progress.accept("Checking the target and the image");
    InstallPlan plan = preflight.check(request);
    plan.warnings().forEach(w -> progress.accept("warning: " + w));
    PartitionLayout layout = plan.layout();
    TargetDisk target = plan.target();
    progress.accept("Image: " + ByteSize.format(plan.footprint().rootBytes()) + " in the root, "
        + ByteSize.format(plan.footprint().varBytes()) + " in /var; kernel " + plan.bootFiles().kernelVersion());
    progress.accept("Layout on " + target.path() + " (" + ByteSize.format(target.sizeBytes()) + "): ESP "
        + ByteSize.format(layout.esp().sizeBytes()) + ", slots A and B " + ByteSize.format(layout.slotSizeBytes())
        + " each, state " + ByteSize.format(layout.state().sizeBytes()));

    if (plan.createTarget()) {
      // Sparse: only what the filesystems write takes space.
      try (RandomAccessFile file = new RandomAccessFile(target.path().toFile(), "rw")) {
        file.setLength(target.sizeBytes());
      }
    }
    // A termination signal that leaves no time to unwind still removes the file we created.
    try (TerminationSignals.Registration lastResort = plan.createTarget()
        ? TerminationSignals.whileRunning(() -> deleteQuietly(target.path())) : () -> { }) {
      return write(request, plan, progress, started);
    } catch (IOException | RuntimeException e) {
      // A half-written image file we created is worthless and may be gigabytes; a device or an
      // existing file is left as it is (it was going to be overwritten anyway).
      if (plan.createTarget()) {
        java.nio.file.Files.deleteIfExists(target.path());
      }
      throw e;
    }
  }

  private static void deleteQuietly(java.nio.file.Path file) {
    try {
      java.nio.file.Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort, the process is about to halt
    }
  }

  private InstallResult write(InstallRequest request, InstallPlan plan, Consumer<String> progress, long started)
      throws IOException {
    PartitionLayout layout = plan.layout();
    TargetDisk target = plan.target();
    progress.accept("Partitioning (GPT)");
    new Partitioner(commands).write(target, layout);

    Fstab fstab = new Fstab(layout.rootA(), layout.state(), layout.esp(), request.filesystem());
    StateRecord state = StateRecord.firstInstall(Slot.A, request.image(), plan.bootFiles().kernelVersion(),
        Instant.now(clock));
    progress.accept("Adding bootj's files to the image root");
    SlotPreparer.PreparedTrees trees = new SlotPreparer(commands)
        .prepare(request.stagedRoot(), fstab, state, request.rootSshAuthorizedKeys());

    if (request.seed() != null) {
      progress.accept("Copying the image's layers into the machine's image store");
      ImageCopy.copy(request.seed().store(), request.seed().reference(),
          trees.stateRoot().resolve(StateRecord.STORE_IN_STATE), request.seed().recordAs());
    }
    FilesystemWriter filesystems = new FilesystemWriter(commands, plan.mke2fs());
    progress.accept("Writing slot A (" + request.filesystem().fstabName() + ")");
    filesystems.write(request.filesystem(), target.partition(layout.rootA()), "root-a", UUID.randomUUID(),
        trees.slotRoot());
    progress.accept("Writing the state partition (/var)");
    filesystems.write(request.filesystem(), target.partition(layout.state()), "state", UUID.randomUUID(),
        trees.stateRoot());
    clearStart(target.partition(layout.rootB()));

    progress.accept("Writing the EFI system partition");
    BootEntry entry = BootEntry.forSlot(Slot.A, plan.osRelease(), request.image(), plan.bootFiles().kernelVersion(),
        layout.rootA().partUuid(), plan.imageKargs(), request.extraKargs());
    Esp esp = MtoolsEsp.format(target.partition(layout.esp()), commands);
    esp.copyIn(plan.bootLoader().efiBinary(), Esp.SYSTEMD_BOOT);
    esp.copyIn(plan.bootLoader().efiBinary(), Esp.REMOVABLE_MEDIA_BOOT);
    esp.copyIn(plan.bootFiles().kernel(), entry.kernelPath());
    esp.copyIn(plan.bootFiles().initramfs(), entry.initrdPath());
    esp.writeAtomically(Esp.entryPath(entry.fileName()), entry.text());
    esp.writeAtomically(Esp.LOADER_CONF, new LoaderConfig(LoaderConfig.DEFAULT_TIMEOUT).text());

    // The staged trees are consumed; removing them before the flush means their pages are
    // dropped instead of written back to the host's disk for nothing.
    SubtreeDeleter deleter = SubtreeDeleter.forThisProcess();
    deleter.delete(trees.slotRoot());
    deleter.delete(trees.stateRoot());
    flush(target);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    progress.accept("Installed " + request.image().reference() + " to slot A of " + target.path()
        + " in " + elapsed.toMillis() / 100 / 10.0 + " s");
    return new InstallResult(target.path(), layout, Slot.A, plan.bootFiles().kernelVersion(), entry,
        plan.warnings(), elapsed);
  }

  private static void clearStart(PartitionTarget slot) throws IOException {
    try (FileChannel channel = FileChannel.open(slot.path(), StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(SLOT_B_CLEAR_BYTES);
      long position = slot.offsetBytes();
      while (zeros.hasRemaining()) {
        position += channel.write(zeros, position);
      }
    }
  }

  // Everything the tools wrote is on the disk before we say it is installed.
  private static void flush(TargetDisk target) throws IOException {
    try (FileChannel channel = FileChannel.open(target.path(), StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
