package dev.bootj.system.update;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.status.HostStatus;
import java.util.List;

/** What {@code bootj upgrade --check --json} prints; schema docs/schemas/upgrade-check-v1.schema.json. */
@JsonPropertyOrder({"apiVersion", "kind", "reference", "pinned", "currentDigest", "latestDigest", "latestVersion",
    "updateAvailable", "downloadBytes", "layersToDownload", "accepted", "signature", "refusal"})
public record UpgradeCheckReport(String apiVersion, String kind, String reference, boolean pinned,
    String currentDigest, String latestDigest, String latestVersion, boolean updateAvailable, long downloadBytes,
    List<Layer> layersToDownload, Boolean accepted, PolicyAcceptance signature, String refusal) {

  public static final String KIND = "UpgradeCheck";

  public record Layer(String digest, long size) {}

  public static UpgradeCheckReport of(UpdateService.Check check) {
    boolean available = check.updateAvailable();
    List<Layer> layers = available
        ? check.layersToDownload().stream().map(l -> new Layer(l.digest().toString(), l.size())).toList()
        : List.of();
    return new UpgradeCheckReport(HostStatus.API_VERSION, KIND, check.current().imageReference(), check.pinned(),
        check.current().manifestDigest(), check.latestDigest() == null ? null : check.latestDigest().toString(),
        check.latest() == null ? null : check.latest().config().labels().get(ImageIdentity.VERSION_LABEL),
        available, check.downloadBytes(), layers, check.pinned() ? null : check.refusal() == null, check.acceptance(),
        check.refusal());
  }
}
