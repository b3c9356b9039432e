package dev.bootj.system.install;

import dev.bootj.common.ByteSize;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.system.disk.FilesystemWriter;
import dev.bootj.system.disk.Mke2fs;
import dev.bootj.system.disk.TargetDisk;
import dev.bootj.system.disk.TargetInspector;
import dev.bootj.system.esp.MtoolsEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.image.BootFiles;
import dev.bootj.system.image.BootLoaderLocator;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.image.KernelArguments;
import dev.bootj.system.image.KernelLocator;
import dev.bootj.system.image.RootFootprint;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.PartitionLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every check that can be made before the target is touched: tools, target, image contents and
 * sizes. All problems are collected and reported together, so one run tells the user everything
 * to fix. Nothing here writes anything.
 */
public final class Preflight {

  private final TargetInspector targetInspector;
  private final BootLoaderLocator bootLoaderLocator;
  private final Predicate<Tool> toolAvailable;
  private final CommandRunner commands;

  public Preflight() {
    this(new TargetInspector(), new BootLoaderLocator(), tool -> tool.locate().isPresent(), new CommandRunner());
  }

  /**
   * For tests: fake /proc and /sys, a fake host root, which tools to pretend are installed, and a
   * runner that answers for them.
   */
  Preflight(TargetInspector targetInspector, BootLoaderLocator bootLoaderLocator, Predicate<Tool> toolAvailable,
      CommandRunner commands) {
    this.targetInspector = targetInspector;
    this.bootLoaderLocator = bootLoaderLocator;
    this.toolAvailable = toolAvailable;
    this.commands = commands;
  }

  public InstallPlan check(InstallRequest request) throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    // The target: existing file or device, or a file to create.
    TargetDisk target = null;
    boolean create = false;
    if (Files.exists(request.target())) {
      target = TargetDisk.inspect(request.target());
      if (request.createSizeBytes() != null && !target.blockDevice() && target.sizeBytes() != request.createSizeBytes()) {
        problems.add(request.target() + " already exists with size " + ByteSize.format(target.sizeBytes())
            + "; remove it or leave out the size to install onto it as it is");
      }
      problems.addAll(targetInspector.problems(target, request.wipe()));
    } else if (request.createSizeBytes() != null) {
      Path parent = request.target().toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        problems.add("cannot create " + request.target() + ": " + parent + " is not a directory");
      }
      target = new TargetDisk(request.target().toAbsolutePath(), false, request.createSizeBytes());
      create = true;
    } else {
      problems.add(request.target() + " does not exist; give a size to create a disk image file there");
    }

    problems.addAll(missingTools(request.filesystem(), target));
    Mke2fs mke2fs = null;
    if (request.filesystem() == FilesystemType.EXT4 && toolAvailable.test(Tool.MKFS_EXT4)) {
      mke2fs = checkMke2fs(problems, warnings);
    }
    boolean needsRoot = request.filesystem() == FilesystemType.XFS || (target != null && target.blockDevice());
    if (needsRoot && PosixCalls.effectiveUid() != 0) {
      problems.add("installing " + (request.filesystem() == FilesystemType.XFS ? "with xfs" : "to a block device")
          + " needs root (loop devices, mounts, device nodes)");
    }
    if (request.rootSshAuthorizedKeys() != null && !Files.isReadable(request.rootSshAuthorizedKeys())) {
      problems.add("cannot read the authorized keys file " + request.rootSshAuthorizedKeys());
    }

    // The image: boot files, boot loader, kargs, size.
    if (!Files.isDirectory(request.stagedRoot(), LinkOption.NOFOLLOW_LINKS)) {
      problems.add("the staged image root " + request.stagedRoot() + " is not a directory");
      throw new PreflightException(problems);
    }
    ImageRoot image = new ImageRoot(request.stagedRoot());
    BootFiles bootFiles = null;
    try {
      bootFiles = new KernelLocator().locate(image);
    } catch (KernelLocator.MissingKernelException e) {
      problems.add(e.getMessage());
    }
    Optional<BootLoaderLocator.Found> loader = bootLoaderLocator.locate(image);
    if (loader.isEmpty()) {
      problems.add(BootLoaderLocator.missingMessage());
    } else if (loader.get().fromHost()) {
      warnings.add(BootLoaderLocator.hostCopyWarning(loader.get().efiBinary()));
    }
    List<String> imageKargs = List.of();
    try {
      imageKargs = KernelArguments.fromImage(image);
    } catch (IOException e) {
      problems.add("cannot read the image's kernel arguments: " + e.getMessage());
    }
    RootFootprint footprint = RootFootprint.measure(request.stagedRoot());
    boolean espFits = checkEspSize(request, bootFiles, loader.orElse(null), problems);
    PartitionLayout layout = target == null || !espFits ? null : planLayout(request, target, footprint, problems);

    if (!problems.isEmpty()) {
      throw new PreflightException(problems);
    }
    return new InstallPlan(target, create, layout, footprint, bootFiles, loader.get(), image.osRelease(),
        imageKargs, warnings, mke2fs);
  }

  /**
   * The ESP must be a valid FAT32 volume ({@link MtoolsEsp#MINIMUM_SIZE_BYTES}) and hold the boot
   * loader twice (its own path and the removable-media one) and both slots' kernel and initramfs,
   * since an update puts the new slot's beside the current one's before it removes anything.
   */
  private static boolean checkEspSize(InstallRequest request, BootFiles bootFiles, BootLoaderLocator.Found loader,
      List<String> problems) throws IOException {
    long esp = ByteSize.roundUp(request.espSizeOrDefault(), PartitionLayout.ALIGNMENT);
    if (esp < MtoolsEsp.MINIMUM_SIZE_BYTES) {
      problems.add("an ESP of " + ByteSize.format(esp) + " is smaller than the smallest FAT32 volume bootj makes ("
          + ByteSize.format(MtoolsEsp.MINIMUM_SIZE_BYTES) + "); give a larger ESP size");
      return false;
    }
    if (bootFiles == null || loader == null) {
      return true;
    }
    long needed = 2 * (Files.size(bootFiles.kernel()) + Files.size(bootFiles.initramfs()))
        + 2 * Files.size(loader.efiBinary()) + ESP_OVERHEAD;
    // The FATs and directories take about 1/128 of a FAT32 volume with 4 KiB clusters or fewer.
    if (needed > esp - esp / 64) {
      problems.add("an ESP of " + ByteSize.format(esp) + " cannot hold the boot loader and two slots' kernel and"
          + " initramfs (" + ByteSize.format(needed) + " with the filesystem's own use); give a larger ESP size");
      return false;
    }
    return true;
  }

  /** Boot entries, loader.conf, directories: a few clusters each, a MiB is plenty. */
  private static final long ESP_OVERHEAD = ByteSize.MIB;

  private static PartitionLayout planLayout(InstallRequest request, TargetDisk target, RootFootprint footprint,
      List<String> problems) {
    long neededSlot = Math.max(RootFootprint.neededFilesystemSize(footprint.rootBytes()),
        request.filesystem().minimumSize());
    String imageSize = "the image needs a slot of about " + ByteSize.format(neededSlot)
        + " (" + ByteSize.format(footprint.rootBytes()) + " of files)";
    Long slot = request.slotSizeBytes();
    if (slot != null && ByteSize.roundUp(slot, PartitionLayout.ALIGNMENT) < neededSlot) {
      problems.add(imageSize + " but the slot size given is " + ByteSize.format(slot)
          + "; give a larger slot size");
      return null;
    }
    long smallestSlot = slot != null ? slot : neededSlot;
    long espSize = request.espSizeOrDefault();
    Optional<PartitionLayout> planned = PartitionLayout.plan(target.sizeBytes(), neededSlot, slot, espSize,
        java.util.UUID::randomUUID);
    if (planned.isEmpty() || planned.get().slotSizeBytes() < neededSlot) {
      long slotShown = planned.map(PartitionLayout::slotSizeBytes)
          .orElse(PartitionLayout.defaultSlotSize(target.sizeBytes(), neededSlot, espSize));
      problems.add(target.path() + " is too small: it is " + ByteSize.format(target.sizeBytes())
          + (slot == null ? " and allows slots of " + ByteSize.format(Math.max(0, slotShown)) + "; " + imageSize : "")
          + "; it needs at least " + ByteSize.format(PartitionLayout.minimumDiskSize(smallestSlot, espSize))
          + " (ESP " + ByteSize.format(ByteSize.roundUp(espSize, PartitionLayout.ALIGNMENT)) + ", two slots of "
          + ByteSize.format(ByteSize.roundUp(smallestSlot, PartitionLayout.ALIGNMENT)) + ", state at least "
          + ByteSize.format(PartitionLayout.MIN_STATE_SIZE) + ")");
      return null;
    }
    PartitionLayout layout = planned.get();
    long neededState = RootFootprint.neededFilesystemSize(footprint.varBytes());
    if (layout.state().sizeBytes() < neededState) {
      problems.add("the image's /var needs about " + ByteSize.format(neededState) + " but the state partition"
          + " would be " + ByteSize.format(layout.state().sizeBytes()) + "; give a smaller slot size or a larger target");
      return null;
    }
    return layout;
  }

  // ext4 is written with mkfs.ext4 -d, which e2fsprogs before 1.43 (CentOS 7, Ubuntu 16.04) lacks.
  private Mke2fs checkMke2fs(List<String> problems, List<String> warnings) {
    Optional<Mke2fs> found;
    try {
      found = Mke2fs.ask(commands);
    } catch (IOException e) {
      problems.add("cannot tell which e2fsprogs mkfs.ext4 belongs to: " + e.getMessage());
      return null;
    }
    if (found.isEmpty()) {
      warnings.add("cannot tell which e2fsprogs mkfs.ext4 belongs to; going ahead as if it were 1.43 to 1.46");
      return null;
    }
    if (!found.get().canFillFromDirectory()) {
      problems.add(found.get().tooOldMessage());
    }
    return found.get();
  }

  private List<String> missingTools(FilesystemType filesystem, TargetDisk target) {
    Set<Tool> needed = new LinkedHashSet<>(List.of(Tool.SGDISK, FilesystemWriter.mkfs(filesystem), Tool.MKFS_VFAT, Tool.MMD,
        Tool.MCOPY, Tool.CP));
    if (filesystem == FilesystemType.XFS) {
      needed.addAll(List.of(Tool.LOSETUP, Tool.MOUNT, Tool.UMOUNT));
    }
    if (target != null && target.blockDevice()) {
      needed.add(Tool.PARTX);
    }
    List<String> missing = new ArrayList<>();
    for (Tool tool : needed) {
      if (!toolAvailable.test(tool)) {
        missing.add(tool.missingMessage());
      }
    }
    return missing;
  }
}
