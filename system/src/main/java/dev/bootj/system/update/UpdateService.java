package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.common.files.StagingArea;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.oci.ImageInspector;
import dev.bootj.oci.ImagePuller;
import dev.bootj.oci.ImageRefusedException;
import dev.bootj.oci.ImageUnpacker;
import dev.bootj.oci.InspectedImage;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.UnpackedImage;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.ImageRecord;
import dev.bootj.oci.store.ImageRecords;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.StoredListings;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.HostStatus;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code bootj switch} and {@code bootj upgrade}, on this machine or on a disk that is not running:
 * resolve the image to a digest (nothing to do if the slot that boots next already holds it), check
 * the space, unpack it (only layers missing from the store are downloaded) under a staging
 * directory, and stage it into the other slot ({@link SlotUpdater}: plan, then apply). One update
 * at a time per machine or disk ({@link UpdateLock}).
 */
public final class UpdateService {

  /** Where the running machine stages an update: on /var (the state partition), never in its own root. */
  static final Path MACHINE_STAGING = Path.of("/var/lib/bootj/staging");

  /**
   * What happened.
   *
   * @param target "this machine", "disk /srv/vm.img"
   * @param pulled the image as pulled into the store; null when nothing was staged
   * @param result null when nothing was staged ({@code unchanged} says why)
   */
  public record Outcome(String target, InspectedImage image, PulledImage pulled, UpdateResult result,
      String unchanged) {

    public boolean changed() {
      return result != null;
    }

    /** Whether the image was fetched into the store and recorded as downloaded, not staged ({@link Scope#DOWNLOAD_ONLY}). */
    public boolean downloadedOnly() {
      return result == null && pulled != null && unchanged == null;
    }
  }

  /**
   * The image the machine follows, and whether a newer digest of it exists ({@code upgrade --check}).
   *
   * @param latest the newest image of the tag as inspected; null when pinned or when the policy
   *     refused it (nothing of a refused image is fetched beyond its manifest)
   * @param latestDigest the manifest the tag resolves to now, accepted or not; null when pinned
   * @param layersToDownload the layers of {@code latest} the store lacks; none when refused
   * @param acceptance how the machine's signature policy accepts the latest image; null when it
   *     refuses it ({@code refusal} says why) or when there is nothing to check (pinned)
   * @param refusal the policy's one-line refusal, or null
   */
  public record Check(StateRecord.SlotRecord current, boolean pinned, InspectedImage latest, Digest latestDigest,
      List<Descriptor> layersToDownload, PolicyAcceptance acceptance, String refusal) {

    public boolean updateAvailable() {
      return latestDigest != null && !latestDigest.toString().equals(current.manifestDigest());
    }

    public long downloadBytes() {
      return updateAvailable() ? layersToDownload.stream().mapToLong(Descriptor::size).sum() : 0;
    }
  }

  private final BlobStore store;
  private final PullOptions pullOptions;
  private final ProgressListener progress;
  private final Consumer<String> steps;
  private final CommandRunner commands;
  private final MachineAccess machines;

  /**
   * @param progress per-layer download and unpack progress
   * @param steps one line per step, and warnings
   */
  public UpdateService(BlobStore store, PullOptions pullOptions, ProgressListener progress, Consumer<String> steps) {
    this(store, pullOptions, progress, steps, MachineAccess.of(new CommandRunner()));
  }

  /** @param machines how the machine or disk is reached (tests: directories) */
  UpdateService(BlobStore store, PullOptions pullOptions, ProgressListener progress, Consumer<String> steps,
      MachineAccess machines) {
    this.store = store;
    this.pullOptions = pullOptions;
    this.progress = progress;
    this.steps = steps;
    this.commands = new CommandRunner();
    this.machines = machines;
  }

  /** How much of an update to do. */
  public enum Scope {
    /** Fetch what is missing and stage it: the whole update. */
    STAGE,
    /**
     * Only fetch the image into the store and record it as downloaded ({@code --download-only});
     * the slots are not touched.
     */
    DOWNLOAD_ONLY,
    /**
     * Stage the image an earlier {@link #DOWNLOAD_ONLY} fetched, from the store alone and with the
     * signature verdict given then: no network ({@code --from-downloaded}).
     */
    FROM_DOWNLOADED
  }

  /**
   * @param scope how much to do
   * @param skippedDigests manifest digests never to stage (those that failed to boot here); an
   *     image that resolves to one is left alone and the outcome says why
   */
  public record Options(Scope scope, Set<String> skippedDigests) {

    public static final Options DEFAULT = new Options(Scope.STAGE, Set.of());

    public Options {
      skippedDigests = Set.copyOf(skippedDigests);
    }

    public static Options of(Scope scope) {
      return new Options(scope, Set.of());
    }
  }

  /** Stages {@code reference} on this machine ({@code disk} null) or on {@code disk}. */
  public Outcome switchTo(Path disk, ImageReference reference) throws IOException {
    return switchTo(disk, reference, Options.DEFAULT);
  }

  /** {@link #switchTo(Path, ImageReference)}, or only part of it. */
  public Outcome switchTo(Path disk, ImageReference reference, Options options) throws IOException {
    try (UpdateLock lock = machines.lock(disk); UpdateTarget machine = machines.open(disk)) {
      return stage(machine, reference, machines.clearedStaging(disk), options);
    }
  }

  /**
   * Stages the newest image of the tag the machine follows (the reference of the slot that boots
   * next); a machine pinned to a digest is left alone ({@code unchanged} says so).
   */
  public Outcome upgrade(Path disk) throws IOException {
    return upgrade(disk, Options.DEFAULT);
  }

  /** {@link #upgrade(Path)}, or only part of it. */
  public Outcome upgrade(Path disk, Options options) throws IOException {
    try (UpdateLock lock = machines.lock(disk); UpdateTarget machine = machines.open(disk)) {
      Path staging = machines.clearedStaging(disk);
      StateRecord.SlotRecord current = followed(machine.status());
      ImageReference reference = ImageReference.parse(current.imageReference());
      if (pinned(reference)) {
        return new Outcome(machine.description(), null, null, null, "this machine is pinned to "
            + current.imageReference() + "; 'bootj switch IMAGE:TAG' makes it follow a tag again");
      }
      return stage(machine, reference, staging, options);
    }
  }

  /** Resolves the followed tag again and says what an upgrade would download; changes nothing. */
  public Check check(Path disk) throws IOException {
    DiskStatus status = machines.status(disk);
    StateRecord.SlotRecord current = followed(status);
    ImageReference reference = ImageReference.parse(current.imageReference());
    if (pinned(reference)) {
      return new Check(current, true, null, null, List.of(), null, null);
    }
    // Inspected under the policy the upgrade itself would follow, so that a refusal comes before
    // the config is stored: a check leaves nothing of a refused image behind.
    try (MachineRoot root = pullOptions.trust().readsMachineFiles() ? machines.root(disk, status) : null) {
      TrustPolicy trust = root == null ? pullOptions.trust() : pullOptions.trust().forMachineRoot(root.path(), root.description());
      InspectedImage latest = new ImageInspector(store, pullOptions.withTrust(trust)).inspectTrusted(reference, PullPolicy.ALWAYS);
      List<Descriptor> missing = latest.manifest().layers().stream().filter(l -> !store.contains(l.digest())).toList();
      return new Check(current, false, latest, latest.manifestDigest(), missing, latest.acceptance(), null);
    } catch (ImageRefusedException e) {
      return new Check(current, false, null, e.manifestDigest(), List.of(), null, e.getMessage());
    }
  }

  /**
   * The image to stage, resolved.
   *
   * @param image as inspected (its reference the one resolved, e.g. a tag)
   * @param recordedAs the reference the slot's record will name (what upgrade follows)
   * @param pinned the same image by digest, so that a tag moved meanwhile changes nothing
   * @param options the pull options its layers are fetched (and its signatures checked) with
   * @param layers where its layers may come from
   */
  private record Resolved(InspectedImage image, String recordedAs, ImageReference pinned, PullOptions options,
      PullPolicy layers) {}

  private Outcome stage(UpdateTarget machine, ImageReference reference, Path staging, Options request)
      throws IOException {
    Resolved resolved = request.scope() == Scope.FROM_DOWNLOADED ? downloaded(machine, reference) : resolve(machine, reference);
    InspectedImage image = resolved.image();
    String digest = image.manifestDigest().toString();
    if (request.skippedDigests().contains(digest)) {
      return new Outcome(machine.description(), image, null, null, resolved.recordedAs() + " resolves to " + digest
          + ", which failed to boot on " + machine.description() + "; it is skipped until the tag names another image");
    }
    DiskStatus status = machine.status();
    Slot next = status.defaultSlot();
    DiskStatus.SlotStatus nextSlot = next == null ? null : status.slots().get(next);
    if (nextSlot != null && nextSlot.image() != null && digest.equals(nextSlot.image().manifestDigest())) {
      String why = next == status.bootedSlot() || status.bootedSlot() == null
          ? "slot " + next.id() + " already holds " + digest + " and boots next"
          : "slot " + next.id() + " already holds " + digest + " and boots next; reboot to apply it";
      return new Outcome(machine.description(), image, null, null, why);
    }
    if (request.scope() == Scope.DOWNLOAD_ONLY) {
      return download(machine, resolved);
    }
    Outcome patched = patchInPlace(machine, status, resolved);
    if (patched != null) {
      return patched;
    }
    try (StagingArea area = StagingArea.at(staging, w -> steps.accept("warning: " + w))) {
      checkSpace(store, image.reference(), image.manifest().layers(), area.directory());
      Path stagedRoot = area.directory().resolve("root");
      UnpackedImage unpacked = new ImageUnpacker(store, resolved.options(), progress)
          .unpack(resolved.pinned(), stagedRoot, resolved.layers());
      UpdateRequest staged = new UpdateRequest(stagedRoot, identity(resolved, unpacked.image()));
      UpdateResult result = new SlotUpdater(commands, Clock.systemUTC()).stage(machine, staged, steps);
      MachineStoreTrim.trim(machine.stateRoot(), steps);
      return new Outcome(machine.description(), image, unpacked.image(), result, null);
    }
  }

  /** Resolves {@code reference} through the network and checks it against the machine's signature policy. */
  private Resolved resolve(UpdateTarget machine, ImageReference reference) throws IOException {
    steps.accept("Resolving " + reference);
    // The machine's own signature policy and keys (its image's /etc/containers and its local
    // edits), not the host's, unless one was given: a signed OS keeps its chain of trust.
    PullOptions options = pullOptions.withTrust(pullOptions.trust().forMachineRoot(machine.currentRoot(), machine.description()));
    InspectedImage image = new ImageInspector(store, options).inspectTrusted(reference, PullPolicy.ALWAYS);
    // Pinned to the digest just resolved: a tag moved meanwhile must not change what is staged.
    ImageReference pinned = reference instanceof RegistryReference r ? r.withDigest(image.manifestDigest()) : reference;
    // The layers are fetched under the verdict just given: its signatures are not fetched again.
    PullOptions layers = options.withTrust(TrustPolicy.acceptedBefore(image.acceptance(), image.manifestDigest(),
        image.signedDigest()));
    return new Resolved(image, image.reference(), pinned, layers, PullPolicy.MISSING);
  }

  /**
   * The image {@code --download-only} fetched, from the store alone, under the signature verdict
   * given when it was fetched; {@code reference}, when given, must be the one downloaded.
   */
  private Resolved downloaded(UpdateTarget machine, ImageReference reference) throws IOException {
    StateRecord.SlotRecord downloaded = new StateFile(machine.stateRoot()).read().downloaded();
    if (downloaded == null) {
      throw new BootjException(BootjException.Kind.SYSTEM, "nothing was downloaded for " + machine.description()
          + "; run 'bootj upgrade --download-only' (or 'bootj switch --download-only IMAGE') first");
    }
    if (reference != null && !reference.toString().equals(ImageReference.parse(downloaded.imageReference()).toString())) {
      throw new BootjException(BootjException.Kind.SYSTEM, "the image downloaded for " + machine.description() + " is "
          + downloaded.imageReference() + ", not " + reference + "; download " + reference + " first, or stage "
          + downloaded.imageReference());
    }
    steps.accept("Using the downloaded " + downloaded.imageReference() + " (" + downloaded.manifestDigest() + ")");
    Digest digest = Digest.parse(downloaded.manifestDigest());
    PullOptions options = pullOptions.withTrust(TrustPolicy.acceptedBefore(downloaded.signature(), digest));
    ImageReference named = ImageReference.parse(downloaded.imageReference());
    ImageReference pinned = named instanceof RegistryReference r ? r.withDigest(digest) : named;
    InspectedImage image = new ImageInspector(store, options).inspectTrusted(pinned, PullPolicy.NEVER);
    return new Resolved(image, downloaded.imageReference(), pinned, options, PullPolicy.NEVER);
  }

  /** {@code --download-only}: the layers into the store, the image recorded as downloaded; no slot is touched. */
  private Outcome download(UpdateTarget machine, Resolved resolved) throws IOException {
    PulledImage pulled = new ImagePuller(store, resolved.options(), progress).pull(resolved.pinned(), PullPolicy.MISSING);
    ImageIdentity identity = identity(resolved, pulled);
    new StateFile(machine.stateRoot()).writeDownloaded(new StateRecord.SlotRecord(identity.reference(),
        identity.manifestDigest(), identity.version(), null, Instant.now().toString(), identity.signature()));
    // A download replaces the one before it, whose layers are then freed.
    MachineStoreTrim.trim(machine.stateRoot(), steps);
    return new Outcome(machine.description(), resolved.image(), pulled, null, null);
  }

  /**
   * Stages by patching the other slot when bootj knows what it holds (its state record names an
   * image whose layers, or their listings, the store still has): then only what differs is read
   * and written ({@link SlotPatcher}). Null when the slot is to be written in full instead; the
   * step lines say why.
   */
  private Outcome patchInPlace(UpdateTarget machine, DiskStatus status, Resolved resolved) throws IOException {
    Slot other = machine.currentSlot().other();
    DiskStatus.SlotStatus otherSlot = status.slots().get(other);
    String otherId = other.id().toUpperCase(java.util.Locale.ROOT);
    if (otherSlot == null || otherSlot.image() == null) {
      steps.accept("Writing slot " + otherId + " in full: bootj has no record of what it holds");
      return null;
    }
    String held = otherSlot.image().manifestDigest();
    ImageRecord heldRecord = ImageRecords.of(store).withManifestDigest(held).orElse(null);
    if (heldRecord == null) {
      steps.accept("Writing slot " + otherId + " in full: the store " + store.root() + " has no record of the image it"
          + " holds (" + held + ")");
      return null;
    }
    PulledImage pulled = new ImagePuller(store, resolved.options(), progress).pull(resolved.pinned(), resolved.layers());
    UpdateResult result;
    // Shared: no prune removes the layers being read; released before the store is trimmed.
    try (StoreLock lock = store.lock(false)) {
      steps.accept("Reading the file lists of the new image and of the one slot " + otherId + " holds");
      StoredListings listings = new StoredListings(store);
      ImageTree target = listings.tree(pulled.manifest().layers());
      ImageTree current = listings.tree(heldRecord.manifest().layers());
      if (target == null || current == null) {
        steps.accept("Writing slot " + otherId + " in full: layers of the image it holds are no longer in the store");
        return null;
      }
      SlotPatcher.Source source = new SlotPatcher.Source(identity(resolved, pulled), target, current,
          listings.opener(pulled.manifest().layers()));
      SlotPatcher patcher = new SlotPatcher(commands, Clock.systemUTC());
      SlotPatcher.Plan plan = patcher.plan(machine, source, steps);
      if (plan == null) {
        return null;
      }
      result = patcher.apply(plan, steps);
    }
    MachineStoreTrim.trim(machine.stateRoot(), steps);
    return new Outcome(machine.description(), resolved.image(), pulled, result, null);
  }

  /** Recorded under the reference as given (the tag), which is what upgrade follows. */
  private static ImageIdentity identity(Resolved resolved, PulledImage pulled) {
    return new ImageIdentity(resolved.recordedAs(), resolved.image().manifestDigest().toString(),
        pulled.config().labels().get(ImageIdentity.VERSION_LABEL), pulled.acceptance());
  }

  /**
   * Refuses before downloading when the staging filesystem cannot hold the missing layers and the
   * unpacked root. The unpacked size is not known before unpacking; OS layers compress about 3:1
   * with gzip, so three times the compressed size stands in for it.
   */
  static void checkSpace(BlobStore store, String image, List<Descriptor> layers, Path staging) throws IOException {
    long missing = 0;
    long compressed = 0;
    for (Descriptor layer : layers) {
      compressed += layer.size();
      if (!store.contains(layer.digest())) {
        missing += layer.size();
      }
    }
    long needed = missing + 3 * compressed;
    long free = Files.getFileStore(staging).getUsableSpace();
    if (free < needed) {
      throw new BootjException(BootjException.Kind.SYSTEM, "not enough space to stage " + image
          + ": about " + ByteSize.format(needed) + " needed under " + staging.getParent() + " ("
          + ByteSize.format(missing) + " to download, the rest to unpack), " + ByteSize.format(free)
          + " free; free some (e.g. 'bootj image prune') and run this again; nothing was changed");
    }
  }


  /**
   * The staging directory, with the tree a run killed by SIGKILL left there removed: removed here,
   * under the update lock, and not only when this run stages something, since a run killed after
   * its boot entry was written is followed by one that has nothing to do.
   */
  static Path clearedStaging(Path disk) throws IOException {
    Path staging = stagingDirectory(disk);
    SubtreeDeleter.forThisProcess().delete(staging);
    return staging;
  }

  /**
   * Where the new image is unpacked before it is written to the slot: on the running machine under
   * /var; for a disk, under /var/tmp, one per disk, so that updates of two disks at once do not
   * share it and a killed run's tree is removed by the next run on that disk.
   */
  private static Path stagingDirectory(Path disk) throws IOException {
    if (disk == null) {
      return MACHINE_STAGING;
    }
    return StagingArea.pathFor(StagingArea.defaultParent(), "update", disk.toRealPath().toString());
  }

  private static StateRecord.SlotRecord followed(DiskStatus status) throws BootjException {
    DiskStatus.SlotStatus next = status.defaultSlot() == null ? null : status.slots().get(status.defaultSlot());
    if (next == null || next.image() == null) {
      throw new BootjException(BootjException.Kind.SYSTEM, "bootj has no record of the image in the slot that"
          + " boots next, so there is no tag to follow; use 'bootj switch IMAGE'");
    }
    return next.image();
  }

  private static boolean pinned(ImageReference reference) {
    return HostStatus.isPinned(reference.toString());
  }
}
