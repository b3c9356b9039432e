package dev.bootj.oci;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageConfig;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.ManifestParser;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.LayoutReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.source.ResolvedImage;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.ImageRecord;
import dev.bootj.oci.store.ImageRecords;
import dev.bootj.oci.trust.PolicyAcceptance;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a reference into a manifest and config, from the store's records or from the source,
 * following the pull policy. The config blob is always stored (it is small and every later step
 * needs it).
 */
final class ImageResolver {

  /** A resolved image and, when the source was contacted, the open source to fetch layers from. */
  record Resolution(
      String reference, Digest manifestDigest, ImageManifest manifest, ImageConfig config,
      Platform platform, ImageSource source, PolicyAcceptance acceptance, Digest indexDigest) implements AutoCloseable {

    /**
     * Which layers the store holds, in manifest order, each announced to {@code progress}. A
     * layer that is missing when there is no source to fetch it from (a stored image used with
     * --pull=missing whose blobs were pruned) is refused here, before any work starts.
     */
    boolean[] storedLayers(BlobStore store, ProgressListener progress) throws BootjException {
      List<Descriptor> layers = manifest.layers();
      boolean[] stored = new boolean[layers.size()];
      for (int i = 0; i < layers.size(); i++) {
        stored[i] = store.contains(layers.get(i).digest());
        progress.layerStarted(i, layers.size(), layers.get(i), stored[i]);
        if (!stored[i] && source == null) {
          throw new BootjException(BootjException.Kind.SYSTEM, "layer " + layers.get(i).digest() + " of "
              + reference + " is missing from the store; run again with --pull=always");
        }
      }
      return stored;
    }

    /** Records the pulled reference in the store (when it was fetched) and describes the result. */
    PulledImage finish(BlobStore store, long downloadedBytes, int downloadedLayers) throws IOException {
      if (source != null) {
        ImageRecords.of(store).save(new ImageRecord(reference, manifestDigest, manifest, platform, Instant.now(),
            indexDigest));
      }
      return new PulledImage(reference, manifestDigest, manifest, config, platform, downloadedBytes, downloadedLayers,
          acceptance);
    }

    @Override
    public void close() throws IOException {
      if (source != null) {
        source.close();
      }
    }
  }

  private final BlobStore store;
  private final PullOptions options;
  private final ProgressListener progress;

  /** @param progress hears of registry requests being retried */
  ImageResolver(BlobStore store, PullOptions options, ProgressListener progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
  }

  /** The key under which the store records a reference. */
  static String recordKey(ImageReference reference) {
    if (reference instanceof LayoutReference l) {
      return new LayoutReference(l.kind(), l.path().toAbsolutePath().normalize(), l.tag()).toString();
    }
    return reference.toString();
  }

  /**
   * Resolves {@code reference} to one manifest. With {@code verify}, the signature policy is
   * checked as soon as the manifest digest is known: before the config or any layer is stored.
   */
  Resolution resolve(ImageReference reference, PullPolicy policy, boolean verify) throws IOException {
    String key = recordKey(reference);
    // Layouts are local and cheap to read, so they are always read again.
    if (policy != PullPolicy.ALWAYS && reference instanceof RegistryReference) {
      Optional<ImageRecord> record = ImageRecords.of(store).find(key);
      // A record whose blobs were pruned since is as good as none.
      if (record.isPresent() && record.get().blobs().stream().allMatch(store::contains)) {
        ImageRecord r = record.get();
        PolicyAcceptance acceptance = verify ? check(reference, r.manifestDigest(), r.signedDigest()) : null;
        ImageConfig config = parseConfig(r.manifest().config(), key);
        return new Resolution(key, r.manifestDigest(), r.manifest(), config, r.platform(), null, acceptance,
            r.indexDigest());
      }
      if (policy == PullPolicy.NEVER) {
        throw new BootjException(BootjException.Kind.IMAGE_ACCESS,
            "image " + key + " is not in the store " + store.root() + " and --pull=never forbids fetching it; run bootj image pull first");
      }
    }
    ImageSource source = ImageSources.open(reference, options, progress);
    try {
      ResolvedImage resolved = source.resolve(options.platform());
      PolicyAcceptance acceptance = verify ? check(reference, resolved.manifestDigest(), resolved.signedDigest()) : null;
      Descriptor configDescriptor = resolved.manifest().config();
      if (!store.contains(configDescriptor.digest())) {
        store.put(configDescriptor.digest(), source.fetchSmall(configDescriptor), "config of " + key);
      }
      ImageConfig config = parseConfig(configDescriptor, key);
      Platform platform = resolved.selectedPlatform() != null ? resolved.selectedPlatform() : config.platform();
      checkPlatform(key, platform);
      return new Resolution(key, resolved.manifestDigest(), resolved.manifest(), config, platform, source, acceptance,
          resolved.indexDigest());
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /**
   * @param signedDigest what a signature covers (the index's digest when the reference named one)
   * @throws ImageRefusedException when the policy refuses the image
   */
  private PolicyAcceptance check(ImageReference reference, Digest manifestDigest, Digest signedDigest)
      throws BootjException {
    try {
      return options.trust().check(reference, signedDigest, options.tlsVerifyFor(reference), options.credentials());
    } catch (BootjException e) {
      if (e.kind() == BootjException.Kind.UNTRUSTED) {
        throw new ImageRefusedException(e, manifestDigest);
      }
      throw e;
    }
  }

  private void checkPlatform(String key, Platform platform) throws BootjException {
    if (platform != null && !options.platformExplicit() && !options.platform().accepts(platform)) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS,
          "image " + key + " is built for " + platform + " but this machine is " + options.platform()
              + "; pass --platform " + platform + " to use it anyway");
    }
  }

  private ImageConfig parseConfig(Descriptor descriptor, String key) throws IOException {
    return new ManifestParser("config of " + key).parseConfig(store.read(descriptor.digest()));
  }
}
