package dev.bootj.cli.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.oci.ImageDiffer;
import dev.bootj.oci.ImageSigner;
import dev.bootj.oci.ImageVerifier;
import dev.bootj.oci.InspectedImage;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.UnpackedImage;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.store.ImageRecord;
import dev.bootj.oci.store.StorePruner;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.system.status.HostStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@code bootj image} commands print with {@code --json}: versioned records, one per
 * command, each with its JSON Schema under docs/schemas (named in the record's comment).
 */
public final class ImageReports {

  private ImageReports() {}

  /** {@code image pull --json}; docs/schemas/pull-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "reference", "digest", "platform", "layers", "layersSize",
      "layersDownloaded", "downloadedBytes", "signature"})
  public record Pulled(String apiVersion, String kind, String reference, String digest, String platform, int layers,
      long layersSize, int layersDownloaded, long downloadedBytes, PolicyAcceptance signature) {

    public static Pulled of(PulledImage image) {
      return new Pulled(HostStatus.API_VERSION, "PulledImage", image.reference(), image.manifestDigest().toString(),
          image.platform() == null ? null : image.platform().toString(), image.manifest().layers().size(),
          image.manifest().layerBytes(), image.layersDownloaded(), image.downloadedBytes(), image.acceptance());
    }
  }

  /** {@code image unpack --json}; docs/schemas/unpack-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "reference", "digest", "platform", "layers", "layersSize",
      "layersDownloaded", "downloadedBytes", "root", "entries", "unpackedBytes", "signature"})
  public record Unpacked(String apiVersion, String kind, String reference, String digest, String platform, int layers,
      long layersSize, int layersDownloaded, long downloadedBytes, String root, long entries, long unpackedBytes,
      PolicyAcceptance signature) {

    public static Unpacked of(UnpackedImage unpacked) {
      Pulled image = Pulled.of(unpacked.image());
      return new Unpacked(HostStatus.API_VERSION, "UnpackedImage", image.reference(), image.digest(), image.platform(),
          image.layers(), image.layersSize(), image.layersDownloaded(), image.downloadedBytes(),
          unpacked.root().toAbsolutePath().toString(), unpacked.entries(), unpacked.unpackedBytes(), image.signature());
    }
  }

  /** {@code image sign --json}; docs/schemas/sign-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "reference", "signedDigest", "dockerReference", "keyFingerprint",
      "signatureTag", "added"})
  public record Signed(String apiVersion, String kind, String reference, String signedDigest, String dockerReference,
      String keyFingerprint, String signatureTag, boolean added) {

    public static Signed of(ImageSigner.Signed signed) {
      return new Signed(HostStatus.API_VERSION, "SignedImage", signed.reference(), signed.signedDigest().toString(),
          signed.dockerReference(), signed.keyFingerprint(), signed.signatureTag(), signed.added());
    }
  }

  /** {@code image verify --json}; docs/schemas/verify-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "reference", "signedDigest", "policy", "signature"})
  public record Verified(String apiVersion, String kind, String reference, String signedDigest, String policy,
      PolicyAcceptance signature) {

    public static Verified of(ImageVerifier.Verified verified) {
      return new Verified(HostStatus.API_VERSION, "VerifiedImage", verified.reference(),
          verified.signedDigest().toString(), verified.policy(), verified.acceptance());
    }
  }

  /** A blob as a manifest names it. */
  @JsonPropertyOrder({"mediaType", "digest", "size"})
  public record Blob(String mediaType, String digest, long size) {

    static Blob of(Descriptor descriptor) {
      return new Blob(descriptor.mediaType(), descriptor.digest().toString(), descriptor.size());
    }
  }

  /** {@code image inspect --json}; docs/schemas/inspect-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "reference", "digest", "mediaType", "platform", "created", "labels",
      "config", "layers", "layersSize"})
  public record Inspected(String apiVersion, String kind, String reference, String digest, String mediaType,
      String platform, String created, Map<String, String> labels, Blob config, List<Blob> layers, long layersSize) {

    public static Inspected of(InspectedImage image) {
      return new Inspected(HostStatus.API_VERSION, "ImageInspection", image.reference(),
          image.manifestDigest().toString(), image.manifest().mediaType(),
          image.platform() == null ? null : image.platform().toString(), image.config().created(),
          new TreeMap<>(image.config().labels()), Blob.of(image.manifest().config()),
          image.manifest().layers().stream().map(Blob::of).toList(), image.manifest().layerBytes());
    }
  }

  /** {@code image list --json}; docs/schemas/image-list-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "images"})
  public record Listed(String apiVersion, String kind, List<Entry> images) {

    @JsonPropertyOrder({"reference", "digest", "platform", "layersSize", "pulledAt"})
    public record Entry(String reference, String digest, String platform, long layersSize, String pulledAt) {}

    public static Listed of(List<ImageRecord> records) {
      return new Listed(HostStatus.API_VERSION, "ImageList", records.stream()
          .map(r -> new Entry(r.reference(), r.manifestDigest().toString(),
              r.platform() == null ? null : r.platform().toString(), r.manifest().layerBytes(), r.pulledAt().toString()))
          .toList());
    }
  }

  /** {@code image prune --json}; docs/schemas/prune-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "blobsRemoved", "bytesFreed", "blobsKept"})
  public record Pruned(String apiVersion, String kind, int blobsRemoved, long bytesFreed, int blobsKept) {

    public static Pruned of(StorePruner.Result result) {
      return new Pruned(HostStatus.API_VERSION, "PruneResult", result.blobsRemoved(), result.bytesFreed(),
          result.blobsKept());
    }
  }

  /**
   * {@code image diff --json}; docs/schemas/image-diff-v1.schema.json. {@code changed}, {@code added}
   * and {@code deleted} are podman's keys; {@code base} and {@code baseDigest} are null when the
   * image is compared with its own lower layers.
   */
  @JsonPropertyOrder({"apiVersion", "kind", "image", "imageDigest", "base", "baseDigest", "changed", "added",
      "deleted", "changedBytes"})
  public record Diffed(String apiVersion, String kind, String image, String imageDigest, String base,
      String baseDigest, List<String> changed, List<String> added, List<String> deleted, long changedBytes) {

    public static Diffed of(ImageDiffer.Result result) {
      return new Diffed(HostStatus.API_VERSION, "ImageDiff", result.image().reference(),
          result.image().manifestDigest().toString(), result.base() == null ? null : result.base().reference(),
          result.base() == null ? null : result.base().manifestDigest().toString(), result.diff().changed(),
          result.diff().added(), result.diff().deleted(), result.diff().changedBytes());
    }
  }
}
