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
   * What to install where; the fields mirror {@code install to-disk}'s options. The options that
   * the image's install configuration may also set ({@link InstallConfiguration}) are null here
   * when the command line did not give them, so that the image's values apply; given, they win.
   *
   * @param createSizeBytes size of the image file to create when {@code target} does not exist, else null
   * @param filesystem null when not given (the image's, else ext4)
   * @param slotSizeBytes null when not given (the image's, else the layout chooses)
   * @param espSizeBytes null when not given (the image's, else 512 MiB)
   * @param kargs added after the image's kargs.d and its install configuration's kargs
   * @param sshAuthorizedKeys becomes root's authorized_keys; null for none
   * @param requireSignaturePolicy refuse when the signature policy would accept the image unsigned
   *     ({@code --enforce-container-sigpolicy}, bootc's flag); null when not given (the image's, else no)
   * @param targetImage the registry reference the machine follows; null when not given (the image's,
   *     else the one installed from)
   */
  public record Request(ImageReference image, PullPolicy pull, Path target, Long createSizeBytes, boolean wipe,
      FilesystemType filesystem, Long slotSizeBytes, Long espSizeBytes, List<String> kargs, Path sshAuthorizedKeys,
      Boolean requireSignaturePolicy, ImageReference targetImage) {
    public Request {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(pull, "pull");
      Objects.requireNonNull(target, "target");
      kargs = kargs == null ? List.of() : List.copyOf(kargs);
    }

    /** With every option the image could also set given (as before install configurations existed). */
    public Request(ImageReference image, PullPolicy pull, Path target, Long createSizeBytes, boolean wipe,
        FilesystemType filesystem, Long slotSizeBytes, List<String> kargs, Path sshAuthorizedKeys,
        boolean requireSignaturePolicy, ImageReference targetImage) {
      this(image, pull, target, createSizeBytes, wipe, filesystem, slotSizeBytes, null, kargs, sshAuthorizedKeys,
          requireSignaturePolicy ? Boolean.TRUE : null, targetImage);
    }

    /** Without {@code --target-image}: the machine follows the reference it was installed from. */
    public Request(ImageReference image, PullPolicy pull, Path target, Long createSizeBytes, boolean wipe,
        FilesystemType filesystem, Long slotSizeBytes, List<String> kargs, Path sshAuthorizedKeys,
        boolean requireSignaturePolicy) {
      this(image, pull, target, createSizeBytes, wipe, filesystem, slotSizeBytes, kargs, sshAuthorizedKeys,
          requireSignaturePolicy, null);
    }

    /** The options given, as the configuration that overrides the image's. */
    InstallConfiguration commandLine() throws BootjException {
      return InstallConfiguration.commandLine(filesystem, slotSizeBytes, espSizeBytes, kargs,
          checkTargetImage(targetImage), requireSignaturePolicy);
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

  /**
   * Installs: the command line's options are checked first; the image's install configuration is
   * read once it is unpacked and merged under them ({@link #configure}); then {@link DiskInstaller}
   * checks and writes. Nothing is written to the target before every check has passed.
   */
  public Outcome install(Request request) throws IOException {
    InstallConfiguration commandLine = request.commandLine();
    if (commandLine.enforcesContainerSigpolicy()) {
      requireSignature(request.image(), List.of(InstallConfiguration.COMMAND_LINE));
    }
    try (StagingArea staging = StagingArea.forTarget(stagingParent, "install", request.target().toAbsolutePath().normalize().toString(),
        w -> steps.accept("warning: " + w))) {
      Path stagedRoot = staging.directory().resolve("root");
      UnpackedImage unpacked = new ImageUnpacker(store, pullOptions, progress)
          .unpack(request.image(), stagedRoot, request.pull());
      PulledImage image = unpacked.image();
      InstallConfiguration settings = configure(stagedRoot, commandLine);
      if (settings.enforcesContainerSigpolicy() && !commandLine.enforcesContainerSigpolicy()) {
        requireSignature(request.image(), settings.sources().get(InstallConfiguration.ENFORCE_CONTAINER_SIGPOLICY));
      }
      String followed = followed(settings, image);
      InstallRequest install = new InstallRequest(request.target(), request.createSizeBytes(), request.wipe(),
          settings.filesystemOrDefault(), settings.slotSizeBytes(), settings.espSizeBytes(), settings.kargs(),
          request.sshAuthorizedKeys(), stagedRoot, identity(image, followed),
          new InstallRequest.ImageSeed(store, image.reference(), followed));
      return new Outcome(image, installer.install(install, steps));
    }
  }

  /** The image's install configuration (unpacked at {@code stagedRoot}) overridden by the command line's. */
  private InstallConfiguration configure(Path stagedRoot, InstallConfiguration commandLine) throws BootjException {
    InstallConfiguration fromImage = InstallConfiguration.load(stagedRoot);
    if (!fromImage.isEmpty()) {
      steps.accept("Install configuration from the image (" + String.join(", ", fromImage.files()) + "): "
          + String.join(", ", fromImage.sources().keySet()));
    }
    return fromImage.then(commandLine);
  }

  private void requireSignature(ImageReference image, List<String> askedBy) throws BootjException {
    if (pullOptions.trust().acceptsUnsigned(image)) {
      String flag = askedBy.contains(InstallConfiguration.COMMAND_LINE) ? "--enforce-container-sigpolicy"
          : "enforce-container-sigpolicy in " + String.join(", ", askedBy);
      throw new BootjException(BootjException.Kind.UNTRUSTED, flag + ": the signature policy "
          + pullOptions.trust() + " accepts " + image + " without a signature (scope "
          + pullOptions.trust().scopeFor(image) + ": insecureAcceptAnything); require a signedBy or"
          + " sigstoreSigned signature for it, or " + (askedBy.contains(InstallConfiguration.COMMAND_LINE)
              ? "leave the flag out" : "give --no-enforce-container-sigpolicy") + "; nothing was written");
    }
  }

  /**
   * {@code --target-image} names what the machine follows for its updates (bootc's {@code
   * --target-imgref}); only a registry can be followed.
   */
  private static RegistryReference checkTargetImage(ImageReference target) throws BootjException {
    if (target != null && !(target instanceof RegistryReference)) {
      throw new BootjException(BootjException.Kind.SYSTEM, "--target-image " + target + " is not in a registry; an"
          + " installed machine follows a registry reference (REGISTRY/REPO:TAG) for its updates");
    }
    return (RegistryReference) target;
  }

  /**
   * The reference the machine's record names: the target image when set (a digest in it must be the
   * image's), else the one installed from.
   */
  private static String followed(InstallConfiguration settings, PulledImage image) throws BootjException {
    RegistryReference registry = settings.targetImage();
    if (registry == null) {
      return image.reference();
    }
    if (registry.digest() != null && !registry.digest().equals(image.manifestDigest())) {
      List<String> from = settings.sources().get(InstallConfiguration.TARGET_IMAGE);
      String named = from.contains(InstallConfiguration.COMMAND_LINE) ? "--target-image " + registry
          : "target-image " + registry + " in " + String.join(", ", from);
      throw new BootjException(BootjException.Kind.SYSTEM, named + " names another digest than"
          + " the image installed (" + image.manifestDigest() + "); give its tag, or the same digest");
    }
    return registry.toString();
  }

  private static ImageIdentity identity(PulledImage image, String followed) {
    return new ImageIdentity(followed, image.manifestDigest().toString(),
        image.config().labels().get(ImageIdentity.VERSION_LABEL), image.acceptance());
  }
}
