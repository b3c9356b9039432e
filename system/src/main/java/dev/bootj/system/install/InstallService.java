package dev.bootj.system.install;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.StagingArea;
import dev.bootj.oci.ImageUnpacker;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.UnpackedImage;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.ImageIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code bootj install to-disk}: an OS image, named by reference, onto a disk. The image is
 * unpacked into a staging directory (only layers the store lacks are downloaded), then {@link
 * DiskInstaller} checks everything (nothing is written to the target if a check fails), plans the
 * layout and writes it. The staging directory is removed whatever happens.
 */
public final class InstallService {

  /**
   * What to install where; the fields mirror {@code install to-disk}'s options.
   *
   * @param createSizeBytes size of the image file to create when {@code target} does not exist, else null
   * @param slotSizeBytes null lets the layout choose
   * @param sshAuthorizedKeys becomes root's authorized_keys; null for none
   * @param requireSignaturePolicy refuse when the signature policy would accept the image unsigned
   *     ({@code --enforce-container-sigpolicy}, bootc's flag)
   */
  public record Request(ImageReference image, PullPolicy pull, Path target, Long createSizeBytes, boolean wipe,
      FilesystemType filesystem, Long slotSizeBytes, List<String> kargs, Path sshAuthorizedKeys,
      boolean requireSignaturePolicy, ImageReference targetImage) {
    public Request {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(pull, "pull");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(filesystem, "filesystem");
      kargs = kargs == null ? List.of() : List.copyOf(kargs);
    }

    /** Without {@code --target-image}: the machine follows the reference it was installed from. */
    public Request(ImageReference image, PullPolicy pull, Path target, Long createSizeBytes, boolean wipe,
        FilesystemType filesystem, Long slotSizeBytes, List<String> kargs, Path sshAuthorizedKeys,
        boolean requireSignaturePolicy) {
      this(image, pull, target, createSizeBytes, wipe, filesystem, slotSizeBytes, kargs, sshAuthorizedKeys,
          requireSignaturePolicy, null);
    }
  }

  /** The image as pulled and what was written. */
  public record Outcome(PulledImage image, InstallResult result) {}

  private final BlobStore store;
  private final PullOptions pullOptions;
  private final ProgressListener progress;
  private final Consumer<String> steps;
  private final Path stagingParent;
  private final DiskInstaller installer;

  /**
   * @param progress per-layer download and unpack progress
   * @param steps one line per step, and warnings
   * @param stagingParent where the image is unpacked before it is written to the disk
   */
  public InstallService(BlobStore store, PullOptions pullOptions, ProgressListener progress, Consumer<String> steps,
      Path stagingParent) {
    this(store, pullOptions, progress, steps, stagingParent, new DiskInstaller());
  }

  InstallService(BlobStore store, PullOptions pullOptions, ProgressListener progress, Consumer<String> steps,
      Path stagingParent, DiskInstaller installer) {
    this.store = store;
    this.pullOptions = pullOptions;
    this.progress = progress;
    this.steps = steps;
    this.stagingParent = stagingParent;
    this.installer = installer;
  }

  public Outcome install(Request request) throws IOException {
    checkTargetImage(request.targetImage());
    if (request.requireSignaturePolicy() && pullOptions.trust().acceptsUnsigned(request.image())) {
      throw new BootjException(BootjException.Kind.UNTRUSTED, "--enforce-container-sigpolicy: the signature policy "
          + pullOptions.trust() + " accepts " + request.image() + " without a signature (scope "
          + pullOptions.trust().scopeFor(request.image()) + ": insecureAcceptAnything); require a signedBy or"
          + " sigstoreSigned signature for it, or leave the flag out; nothing was written");
    }
    try (StagingArea staging = StagingArea.forTarget(stagingParent, "install", request.target().toAbsolutePath().normalize().toString(),
        w -> steps.accept("warning: " + w))) {
      Path stagedRoot = staging.directory().resolve("root");
      UnpackedImage unpacked = new ImageUnpacker(store, pullOptions, progress)
          .unpack(request.image(), stagedRoot, request.pull());
      PulledImage image = unpacked.image();
      String followed = followed(request.targetImage(), image);
      InstallRequest install = new InstallRequest(request.target(), request.createSizeBytes(), request.wipe(),
          request.filesystem(), request.slotSizeBytes(), request.kargs(), request.sshAuthorizedKeys(), stagedRoot,
          identity(image, followed), new InstallRequest.ImageSeed(store, image.reference(), followed));
      return new Outcome(image, installer.install(install, steps));
    }
  }

  /**
   * {@code --target-image} names what the machine follows for its updates (bootc's {@code
   * --target-imgref}); only a registry can be followed, and a digest in it must be the image's.
   */
  private static void checkTargetImage(ImageReference target) throws BootjException {
    if (target != null && !(target instanceof RegistryReference)) {
      throw new BootjException(BootjException.Kind.SYSTEM, "--target-image " + target + " is not in a registry; an"
          + " installed machine follows a registry reference (REGISTRY/REPO:TAG) for its updates");
    }
  }

  /** The reference the machine's record names: the target image when given, else the one installed from. */
  private static String followed(ImageReference target, PulledImage image) throws BootjException {
    if (target == null) {
      return image.reference();
    }
    RegistryReference registry = (RegistryReference) target;
    if (registry.digest() != null && !registry.digest().equals(image.manifestDigest())) {
      throw new BootjException(BootjException.Kind.SYSTEM, "--target-image " + target + " names another digest than"
          + " the image installed (" + image.manifestDigest() + "); give its tag, or the same digest");
    }
    return registry.toString();
  }

  private static ImageIdentity identity(PulledImage image, String followed) {
    return new ImageIdentity(followed, image.manifestDigest().toString(),
        image.config().labels().get(ImageIdentity.VERSION_LABEL), image.acceptance());
  }
}
