package dev.bootj.system.update;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.status.HostStatus;

/**
 * What {@code bootj switch --json} and {@code bootj upgrade --json} print; schema
 * docs/schemas/update-v1.schema.json. When nothing was staged, {@code changed} is false, {@code
 * reason} says why and the fields of the staged slot are null; {@code downloaded} is true when
 * {@code --download-only} fetched the image.
 */
@JsonPropertyOrder({"apiVersion", "kind", "target", "reference", "digest", "version", "changed", "reason", "slot",
    "bootEntry", "kernelVersion", "kernelOptions", "keptLocalEtcChanges", "downloadedBytes", "layersDownloaded",
    "layers", "seconds", "signature", "slotWrite", "slotFileBytes", "downloaded"})
public record UpdateReport(String apiVersion, String kind, String target, String reference, String digest,
    String version, boolean changed, String reason, String slot, String bootEntry, String kernelVersion,
    String kernelOptions, Integer keptLocalEtcChanges, Long downloadedBytes, Integer layersDownloaded,
    Integer layers, Double seconds, PolicyAcceptance signature, String slotWrite, Long slotFileBytes,
    boolean downloaded) {

  public static final String KIND = "UpdateResult";
  /** The reason given when {@code --download-only} fetched the image and staged nothing. */
  public static final String DOWNLOADED_ONLY = "downloaded only: the image is in the store; --from-downloaded stages it";

  public static UpdateReport of(UpdateService.Outcome outcome) {
    String reference = outcome.image() == null ? null : outcome.image().reference();
    String digest = outcome.image() == null ? null : outcome.image().manifestDigest().toString();
    String version = outcome.image() == null ? null : outcome.image().config().labels().get(ImageIdentity.VERSION_LABEL);
    if (outcome.downloadedOnly()) {
      PulledImage pulled = outcome.pulled();
      return new UpdateReport(HostStatus.API_VERSION, KIND, outcome.target(), reference, digest, version, false,
          DOWNLOADED_ONLY, null, null, null, null, null, pulled.downloadedBytes(), pulled.layersDownloaded(),
          pulled.manifest().layers().size(), null, pulled.acceptance(), null, null, true);
    }
    if (!outcome.changed()) {
      return new UpdateReport(HostStatus.API_VERSION, KIND, outcome.target(), reference, digest, version, false,
          outcome.unchanged(), null, null, null, null, null, null, null, null, null, null, null, null, false);
    }
    UpdateResult result = outcome.result();
    return new UpdateReport(HostStatus.API_VERSION, KIND, outcome.target(), reference, digest, version, true, null,
        result.slot().id(), result.entry().fileName(), result.entry().kernelVersion(),
        String.join(" ", result.entry().options()), result.keptLocalChanges(),
        outcome.pulled().downloadedBytes(), outcome.pulled().layersDownloaded(),
        outcome.pulled().manifest().layers().size(), result.elapsed().toMillis() / 1000.0,
        outcome.pulled().acceptance(), result.written().method(), result.written().fileBytes(), false);
  }
}
