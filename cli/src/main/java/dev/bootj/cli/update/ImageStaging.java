package dev.bootj.cli.update;

import dev.bootj.cli.install.StagingArea;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.ImageInspector;
import dev.bootj.oci.ImageUnpacker;
import dev.bootj.oci.InspectedImage;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.UnpackedImage;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.Slot;
import dev.bootj.system.update.SlotUpdater;
import dev.bootj.system.update.UpdateRequest;
import dev.bootj.system.update.UpdateResult;
import dev.bootj.system.update.UpdateTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What switch and upgrade share: resolve the image, stop if the slot that boots next already
 * holds it, unpack it (only missing layers are downloaded) under the staging directory, and hand
 * it to {@link SlotUpdater}.
 */
final class ImageStaging {

  /**
   * @param result null when nothing was staged ({@code unchanged} says why)
   */
  record Outcome(InspectedImage image, UnpackedImage unpacked, UpdateResult result, String unchanged) {}

  private final BlobStore store;
  private final PullOptions pullOptions;
  private final ProgressPrinter printer;
  private final PrintWriter err;
  private final Path staging;

  ImageStaging(BlobStore store, PullOptions pullOptions, ProgressPrinter printer, PrintWriter err, Path staging) {
    this.store = store;
    this.pullOptions = pullOptions;
    this.printer = printer;
    this.err = err;
    this.staging = staging;
  }

  Outcome stage(ImageReference reference, UpdateTarget target) throws IOException {
    step("Resolving " + reference);
    InspectedImage image = new ImageInspector(store, pullOptions).inspect(reference, PullPolicy.ALWAYS);
    String digest = image.manifestDigest().toString();
    DiskStatus status = target.status();
    Slot next = status.defaultSlot();
    DiskStatus.SlotStatus nextSlot = next == null ? null : status.slots().get(next);
    if (nextSlot != null && nextSlot.image() != null && digest.equals(nextSlot.image().manifestDigest())) {
      String why = next == status.bootedSlot() || status.bootedSlot() == null
          ? "slot " + next.id() + " already holds " + digest + " and boots next"
          : "slot " + next.id() + " already holds " + digest + " and boots next; reboot to apply it";
      return new Outcome(image, null, null, why);
    }

    // A run that was killed leaves its staging behind: start again from nothing.
    StagingArea.remove(staging, err);
    Files.createDirectories(staging);
    checkSpace(image, staging);
    try {
      Path stagedRoot = staging.resolve("root");
      ImageReference pinned = reference instanceof RegistryReference r ? r.withDigest(image.manifestDigest()) : reference;
      UnpackedImage unpacked;
      try {
        unpacked = new ImageUnpacker(store, pullOptions, printer != null ? printer : ProgressListener.NONE)
            .unpack(pinned, stagedRoot, PullPolicy.MISSING);
      } finally {
        if (printer != null) {
          printer.close();
        }
      }
      String version = unpacked.image().config().labels().get("org.opencontainers.image.version");
      ImageIdentity identity = new ImageIdentity(image.reference(), digest, version);
      UpdateResult result = new SlotUpdater(new CommandRunner(), Clock.systemUTC())
          .stage(target, new UpdateRequest(stagedRoot, identity), this::step);
      return new Outcome(image, unpacked, result, null);
    } finally {
      StagingArea.remove(staging, err);
    }
  }

  /**
   * Refuses before downloading when the staging filesystem cannot hold the missing layers and the
   * unpacked root. The unpacked size is not known before unpacking; OS layers compress about 3:1
   * with gzip, so three times the compressed size stands in for it.
   */
  private void checkSpace(InspectedImage image, Path staging) throws IOException {
    long missing = 0;
    long compressed = 0;
    for (Descriptor layer : image.manifest().layers()) {
      compressed += layer.size();
      if (!store.contains(layer.digest())) {
        missing += layer.size();
      }
    }
    long needed = missing + 3 * compressed;
    long free = Files.getFileStore(staging).getUsableSpace();
    if (free < needed) {
      throw new BootjException(BootjException.Kind.SYSTEM, "not enough space to stage " + image.reference()
          + ": about " + ByteSize.format(needed) + " needed under " + staging.getParent() + " ("
          + ByteSize.format(missing) + " to download, the rest to unpack), " + ByteSize.format(free)
          + " free; free some (e.g. 'bootj image prune') and run this again; nothing was changed");
    }
  }

  private void step(String line) {
    if (printer != null) {
      err.println(line);
      err.flush();
    }
  }
}
