package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.TreeNode;
import dev.bootj.oci.tree.TreePatcher;
import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.disk.FilesystemProbe;
import dev.bootj.system.disk.LoopMount;
import dev.bootj.system.etc.EtcMerge;
import dev.bootj.system.etc.EtcMergePlan;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.image.BootFiles;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.image.KernelArguments;
import dev.bootj.system.image.KernelLocator;
import dev.bootj.system.model.BootOrder;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.InstalledBootEntry;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import dev.bootj.system.slot.Fstab;
import dev.bootj.system.slot.SlotPreparer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stages an image into the other slot by patching the filesystem that slot already has, when
 * bootj knows which image it holds: only the files that differ between that image and the new one
 * (and any the machine changed there) are written, read from the layers that hold them. This is
 * what makes an update cost what changed instead of the size of the OS. The result is the tree a
 * full write ({@link SlotUpdater}) gives, path for path: the image's files, /usr/etc its /etc,
 * /etc the three-way merge, bootj's additions.
 *
 * <p>{@link #plan} changes nothing the slot boots from: it mounts the slot, compares, reads the new
 * files and builds the new /usr/etc and the merged /etc in a scratch directory on the slot's own
 * filesystem, and refuses there (an /etc conflict) as a full write does. {@link #apply} then
 * retires the slot (entry, then state record), renames the new files into place, copies the
 * kernel, unmounts (so everything is on the disk) and last records the image and writes the entry.
 * A kill before the entry leaves the current slot booting and no record for the other one, whose
 * next update is written in full.
 */
final class SlotPatcher {

  /** Where the new files wait on the slot's filesystem until they are renamed into place. */
  static final String SCRATCH = ".bootj-patch";
  /** Room kept free on the slot beyond the new files, for the filesystem's own needs. */
  private static final long SPARE_BYTES = 64L << 20;

  /**
   * The image to stage and what the slot holds now.
   *
   * @param target the new image's files; {@code current}: the image the slot holds (its state record)
   * @param layers the new image's layers, uncompressed, by index
   */
  record Source(ImageIdentity image, ImageTree target, ImageTree current, TreePatcher.LayerOpener layers) {}

  /** Everything decided and read; the slot still boots what it booted. Close it if not applied. */
  static final class Plan implements AutoCloseable {
    final UpdateTarget target;
    final Source source;
    final Slot current;
    final Slot next;
    final LoopMount mount;
    final TreePatcher patcher;
    final TreePatcher.Plan files;
    final Fstab fstab;
    final BootOrder order;
    final int keptLocalChanges;
    final long started;

    private Plan(UpdateTarget target, Source source, Slot current, Slot next, LoopMount mount, TreePatcher patcher,
        TreePatcher.Plan files, Fstab fstab, BootOrder order, int keptLocalChanges, long started) {
      this.target = target;
      this.source = source;
      this.current = current;
      this.next = next;
      this.mount = mount;
      this.patcher = patcher;
      this.files = files;
      this.fstab = fstab;
      this.order = order;
      this.keptLocalChanges = keptLocalChanges;
      this.started = started;
    }

    Path root() {
      return mount.path();
    }

    Path scratch() {
      return root().resolve(SCRATCH);
    }

    @Override
    public void close() throws IOException {
      try {
        if (Files.exists(scratch(), LinkOption.NOFOLLOW_LINKS)) {
          SubtreeDeleter.forThisProcess().delete(scratch());
        }
      } finally {
        mount.close();
      }
    }
  }

  private final CommandRunner commands;
  private final SlotUpdater updater;

  SlotPatcher(CommandRunner commands, Clock clock) {
    this.commands = commands;
    this.updater = new SlotUpdater(commands, clock);
  }

  /**
   * Mounts the other slot and prepares the patch, or returns null (saying why through
   * {@code progress}) when the slot is better written in full: no kernel bootj can see in the new
   * image's files, a slot that does not mount or does not look like one of bootj's, too little room.
   * Refuses like a full write on an /etc conflict, with the slot unchanged.
   */
  Plan plan(UpdateTarget target, Source source, Consumer<String> progress) throws IOException {
    long started = System.nanoTime();
    if (!hasKernel(source.target())) {
      progress.accept("Writing the other slot in full: no kernel and initramfs in the new image's own directories");
      return null;
    }
    Slot current = target.currentSlot();
    Slot next = current.other();
    LoopMount mount;
    try {
      mount = LoopMount.readWrite(commands, target.otherSlot());
    } catch (IOException e) {
      progress.accept("Writing slot " + upper(next) + " in full: its filesystem does not mount (" + e.getMessage() + ")");
      return null;
    }
    try {
      Path root = mount.path();
      if (!Files.isDirectory(root.resolve("usr/etc"), LinkOption.NOFOLLOW_LINKS)) {
        progress.accept("Writing slot " + upper(next) + " in full: it has no /usr/etc, so it is not a slot bootj wrote");
        mount.close();
        return null;
      }
      Path scratch = root.resolve(SCRATCH);
      SubtreeDeleter.forThisProcess().delete(scratch); // what a killed run left
      Files.createDirectory(scratch);

      progress.accept("Comparing slot " + upper(next) + " with the new image");
      TreePatcher patcher = new TreePatcher(root, SlotPatcher::ownedByTheUpdate, w -> progress.accept("warning: " + w));
      TreePatcher.Plan files = patcher.plan(source.target().root(), source.current().root());
      long free = Files.getFileStore(root).getUsableSpace();
      if (free < files.bytesToWrite() + SPARE_BYTES) {
        progress.accept("Writing slot " + upper(next) + " in full: " + ByteSize.format(files.bytesToWrite())
            + " of new files would not fit beside the old ones (" + ByteSize.format(free) + " free)");
        SubtreeDeleter.forThisProcess().delete(scratch);
        mount.close();
        return null;
      }
      progress.accept("Patching slot " + upper(next) + " in place: " + files.writes() + " paths to write ("
          + ByteSize.format(files.bytesToWrite()) + " from " + files.layersToRead().size() + " layer(s)), "
          + files.deletions() + " to delete, " + files.kept() + " unchanged");
      patcher.extract(files, source.layers(), scratch.resolve("files"));

      Path newEtc = newPristineEtc(root, source, progress);
      progress.accept("Merging /etc (the machine's changes against the new image's defaults)");
      Path currentRoot = target.currentRoot();
      EtcMerge merge = new EtcMerge();
      EtcMergePlan etcPlan = merge.plan(currentRoot.resolve("usr/etc"), currentRoot.resolve("etc"), newEtc);
      merge.apply(etcPlan, scratch.resolve("etc-merged"));
      BootjDisk disk = target.disk();
      Fstab fstab = new Fstab(disk.slot(next), disk.partition(PartitionRole.STATE), disk.partition(PartitionRole.ESP),
          FilesystemProbe.of(disk.target(PartitionRole.of(current))));
      int kept = (int) etcPlan.localChanges().stream().filter(c -> !c.path().equals("fstab")).count();
      BootOrder order = BootOrder.of(target.esp().entries());
      return new Plan(target, source, current, next, mount, patcher, files, fstab, order, kept, started);
    } catch (IOException | RuntimeException e) {
      try {
        SubtreeDeleter.forThisProcess().delete(mount.path().resolve(SCRATCH));
      } finally {
        mount.close();
      }
      throw e;
    }
  }

  /** The writes, in the order the class comment gives; the current slot is only read. */
  UpdateResult apply(Plan plan, Consumer<String> progress) throws IOException {
    try (plan) {
      UpdateTarget target = plan.target;
      Slot next = plan.next;
      Path root = plan.root();
      SlotUpdater.retire(target, plan.order, next);
      progress.accept("Writing " + plan.files.writes() + " paths into slot " + upper(next));
      plan.patcher.apply(plan.files, plan.scratch().resolve("files"));
      Path usrEtc = root.resolve("usr/etc");
      SubtreeDeleter.forThisProcess().delete(usrEtc);
      Files.move(plan.scratch().resolve("etc-new"), usrEtc, StandardCopyOption.ATOMIC_MOVE);
      TreeNode etc = plan.source.target().find(List.of("etc"));
      if (etc != null && etc.isDirectory() && etc.mtime() != null) {
        // Moving a directory to another parent rewrites its ".." entry, and so its mtime.
        PosixCalls.setModifiedTime(usrEtc, etc.mtime().getEpochSecond(), etc.mtime().getNano());
      }
      new SlotPreparer(commands).installMergedEtc(root, plan.scratch().resolve("etc-merged"), plan.fstab,
          target.disk().slot(plan.current).partUuid());
      SubtreeDeleter.forThisProcess().delete(plan.scratch());

      ImageRoot image = new ImageRoot(root);
      BootFiles bootFiles;
      try {
        bootFiles = new KernelLocator().locate(image);
      } catch (KernelLocator.MissingKernelException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, e.getMessage() + "; slot " + upper(next)
            + " has no boot entry, this machine boots slot " + upper(plan.current));
      }
      List<String> currentOptions = plan.order.entry(plan.current).map(InstalledBootEntry::options).orElse(List.of());
      List<String> options = KernelArgumentsUpdate.options(target.disk().slot(next).partUuid(), currentOptions,
          KernelArguments.fromImage(new ImageRoot(target.currentRoot())), KernelArguments.fromImage(image));
      var osRelease = image.osRelease();
      SlotUpdater.copyKernel(target.esp(), next, bootFiles, progress);
      // Unmounted before anything names the slot, so that all of it is on the disk first.
      plan.mount.close();
      target.flush();
      return updater.activate(target, next, bootFiles, plan.source.image(), osRelease, plan.order, options,
          plan.keptLocalChanges, plan.started, new UpdateResult.SlotWrite("patch", plan.files.bytesToWrite()), progress);
    }
  }

  /**
   * The new image's /etc as shipped, made beside the slot's /usr/etc (the old image's): hard links
   * to its files, then the same patch, which replaces files by rename and never changes one in
   * place, so /usr/etc itself is untouched until {@link #apply} swaps the two.
   */
  private Path newPristineEtc(Path root, Source source, Consumer<String> progress) throws IOException {
    Path newEtc = root.resolve(SCRATCH).resolve("etc-new");
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(5), Tool.CP.program(), "-al",
        root.resolve("usr/etc").toString(), newEtc.toString()));
    TreeNode wanted = source.target().find(List.of("etc"));
    TreeNode had = source.current().find(List.of("etc"));
    if (wanted == null || !wanted.isDirectory()) {
      SubtreeDeleter.forThisProcess().delete(newEtc);
      Files.createDirectory(newEtc);
      return newEtc;
    }
    TreePatcher etcPatcher = new TreePatcher(newEtc, p -> false, w -> progress.accept("warning: " + w));
    TreePatcher.Plan etcFiles = etcPatcher.plan(wanted, had != null && had.isDirectory() ? had : null);
    Path scratch = root.resolve(SCRATCH).resolve("etc-files");
    etcPatcher.extract(etcFiles, source.layers(), scratch);
    etcPatcher.apply(etcFiles, scratch);
    return newEtc;
  }

  /**
   * Paths of the slot that the patch leaves to the rest of the update: /etc (the merge), /usr/etc
   * (the new image's /etc), /var (the machine's own, mounted there), lost+found, the scratch
   * directory, and the files bootj writes into every slot.
   */
  static boolean ownedByTheUpdate(String path) {
    return under(path, "etc") || under(path, "usr/etc") || under(path, "var") || path.equals("lost+found")
        || under(path, SCRATCH) || SlotPreparer.isWrittenByBootj(path);
  }

  private static boolean under(String path, String top) {
    return path.equals(top) || path.startsWith(top + "/");
  }

  /**
   * Whether the new image has a kernel and initramfs where {@link KernelLocator} looks, seen in its
   * tree without following symlinks. When not (or only through a symlink), the full write decides.
   */
  static boolean hasKernel(ImageTree tree) {
    TreeNode modules = tree.find(List.of("usr", "lib", "modules"));
    if (modules != null) {
      for (Map.Entry<String, TreeNode> version : modules.children().entrySet()) {
        if (isFile(version.getValue().children().get("vmlinuz"))
            && (isFile(version.getValue().children().get("initramfs.img"))
                || isFile(tree.find(List.of("boot", "initrd.img-" + version.getKey()))))) {
          return true;
        }
      }
    }
    TreeNode boot = tree.find(List.of("boot"));
    if (boot != null) {
      for (String name : boot.children().keySet()) {
        if (name.startsWith("vmlinuz-") && isFile(boot.children().get(name))
            && isFile(boot.children().get("initrd.img-" + name.substring("vmlinuz-".length())))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isFile(TreeNode node) {
    return node != null && node.isRegularFile();
  }

  private static String upper(Slot slot) {
    return slot.id().toUpperCase(Locale.ROOT);
  }
}
