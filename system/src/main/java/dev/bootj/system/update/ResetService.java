package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.StagingArea;
import dev.bootj.oci.ImageUnpacker;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.ImageRecord;
import dev.bootj.oci.store.ImageRecords;
import dev.bootj.system.disk.FilesystemProbe;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.image.ImageRoot;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.PartitionRole;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.slot.VarRecreationUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code bootj reset}: a factory reset. The slot not in use gets the image the current slot runs
 * (same digest, from an image store, no network) with that image's /etc as shipped and an empty
 * machine-id, so the machine boots next as it was installed, under a new identity. With {@code
 * wipeVar}, the new slot also recreates the state partition at its first boot and seeds it with
 * the image's /var ({@link VarRecreationUnit}). The current slot is only read and stays as the
 * rollback entry, with the machine's /etc; {@link SlotUpdater} writes, so a kill before its last
 * rename leaves the machine booting what it booted.
 */
public final class ResetService {

  /**
   * What happened.
   *
   * @param target "this machine", "disk /srv/vm.img"
   * @param image what the current slot runs, and the new slot now holds
   * @param from the slot whose image was written again; it is the rollback entry now
   */
  public record Outcome(String target, StateRecord.SlotRecord image, Slot from, UpdateResult result,
      boolean wipeVar) {}

  private final BlobStore hostStore;
  private final PullOptions pullOptions;
  private final ProgressListener progress;
  private final Consumer<String> steps;
  private final CommandRunner commands = new CommandRunner();
  private final MachineAccess access;

  /**
   * @param hostStore where the image is looked for when the machine's own store (under its /var)
   *     lacks it: the store an offline update of a disk uses
   * @param pullOptions whose signature policy checks the image when its slot's record holds no
   *     verdict (the machine's own policy, unless one was given)
   */
  public ResetService(BlobStore hostStore, PullOptions pullOptions, ProgressListener progress, Consumer<String> steps) {
    this(hostStore, pullOptions, progress, steps, null);
  }

  /** With {@code access} (tests: a machine made of directories); null for the real machine or disk. */
  ResetService(BlobStore hostStore, PullOptions pullOptions, ProgressListener progress, Consumer<String> steps,
      MachineAccess access) {
    this.hostStore = hostStore;
    this.pullOptions = pullOptions;
    this.progress = progress;
    this.steps = steps;
    this.access = access != null ? access : MachineAccess.of(commands);
  }

  /** Resets this machine ({@code disk} null) or {@code disk}. */
  public Outcome reset(Path disk, boolean wipeVar) throws IOException {
    try (UpdateLock lock = access.lock(disk); UpdateTarget machine = access.open(disk)) {
      Path staging = access.clearedStaging(disk);
      Slot current = machine.currentSlot();
      String currentId = current.id().toUpperCase(Locale.ROOT);
      DiskStatus.SlotStatus slot = machine.status().slots().get(current);
      if (slot == null || slot.image() == null) {
        throw new BootjException(BootjException.Kind.SYSTEM, "bootj has no record of the image slot " + currentId
            + " of " + machine.description() + " runs, so it cannot write it again; 'bootj switch IMAGE' stages a"
            + " known image instead; nothing was changed");
      }
      StateRecord.SlotRecord held = slot.image();
      Found found = find(machine, held);
      steps.accept("Writing slot " + current.other().id().toUpperCase(Locale.ROOT) + " with " + held.imageReference()
          + " (" + held.manifestDigest() + "), which slot " + currentId + " runs, from " + found.store().root());
      // The verdict given when the image was installed or staged holds for this digest alone; a
      // record without one is checked again, against the machine's own policy.
      TrustPolicy trust = held.signature() != null
          ? TrustPolicy.acceptedBefore(held.signature(), found.record().manifestDigest(), found.record().signedDigest())
          : pullOptions.trust().forMachineRoot(machine.currentRoot(), machine.description());
      try (StagingArea area = StagingArea.at(staging, w -> steps.accept("warning: " + w))) {
        UpdateService.checkSpace(found.store(), held.imageReference(), found.record().manifest().layers(),
            area.directory());
        Path stagedRoot = area.directory().resolve("root");
        new ImageUnpacker(found.store(), pullOptions.withTrust(trust), progress)
            .unpack(ImageReference.parse(found.record().reference()), stagedRoot, PullPolicy.NEVER);
        if (wipeVar) {
          // The state partition has the slots' filesystem (install makes both alike; fstab's /var line says so).
          FilesystemType filesystem = FilesystemProbe.of(machine.disk().target(PartitionRole.of(current)));
          requireMkfs(stagedRoot, filesystem, held);
          VarRecreationUnit.install(stagedRoot, machine.disk().partition(PartitionRole.STATE), filesystem);
        }
        UpdateRequest request = new UpdateRequest(stagedRoot, new ImageIdentity(held.imageReference(),
            held.manifestDigest(), held.version(), held.signature()), true);
        UpdateResult result = new SlotUpdater(commands, Clock.systemUTC()).stage(machine, request, steps);
        return new Outcome(machine.description(), held, current, result, wipeVar);
      }
    }
  }

  private record Found(BlobStore store, ImageRecord record) {}

  /** The image's record and blobs: in the machine's own store first, then in the host's. */
  private Found find(UpdateTarget machine, StateRecord.SlotRecord held) throws IOException {
    List<BlobStore> stores = new ArrayList<>();
    Path machineStore = machine.stateRoot().resolve(StateRecord.STORE_IN_STATE);
    if (Files.isDirectory(machineStore)) {
      stores.add(BlobStore.open(machineStore));
    }
    if (hostStore != null && stores.stream().noneMatch(s -> sameDirectory(s.root(), hostStore.root()))) {
      stores.add(hostStore);
    }
    for (BlobStore store : stores) {
      // Records of one digest share its blobs: the first one tells whether the store has them.
      Optional<ImageRecord> record = ImageRecords.of(store).withManifestDigest(held.manifestDigest())
          .filter(r -> r.blobs().stream().allMatch(store::contains));
      if (record.isPresent()) {
        return new Found(store, record.get());
      }
    }
    throw new BootjException(BootjException.Kind.SYSTEM, "no image store holds " + held.imageReference() + " ("
        + held.manifestDigest() + "), which " + machine.description() + " runs (looked in "
        + String.join(", ", stores.stream().map(s -> s.root().toString()).toList()) + "); a reset writes it from"
        + " there without network: pull it first ('bootj image pull " + pinned(held) + "', with --store for a"
        + " disk); nothing was changed");
  }

  /** The state partition is made again by the new slot's own mkfs, at its first boot. */
  private static void requireMkfs(Path stagedRoot, FilesystemType filesystem, StateRecord.SlotRecord held)
      throws IOException {
    String program = "mkfs." + filesystem.fstabName();
    ImageRoot image = new ImageRoot(stagedRoot);
    for (String directory : List.of("usr/sbin/", "sbin/", "usr/bin/", "bin/")) {
      if (image.findRegularFile(directory + program).isPresent()) {
        return;
      }
    }
    throw new BootjException(BootjException.Kind.SYSTEM, held.imageReference() + " has no " + program + ", which"
        + " --wipe-var needs to recreate /var at the next boot; add it to the image (e.g. e2fsprogs or xfsprogs),"
        + " or reset without --wipe-var; nothing was changed");
  }

  private static String pinned(StateRecord.SlotRecord held) {
    String reference = held.imageReference();
    return reference.contains("@") ? reference : reference + "@" + held.manifestDigest();
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }
}
