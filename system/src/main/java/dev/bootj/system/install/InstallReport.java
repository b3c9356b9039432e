package dev.bootj.system.install;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.system.model.Partition;
import dev.bootj.system.status.HostStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bootj install to-disk --json} prints; schema docs/schemas/install-v1.schema.json.
 *
 * @param partitions each partition's PARTUUID by role (esp, root_a, root_b, state)
 */
@JsonPropertyOrder({"apiVersion", "kind", "target", "reference", "digest", "version", "slot", "kernelVersion",
    "bootEntry", "partitions", "slotSize", "warnings", "seconds", "signature"})
public record InstallReport(String apiVersion, String kind, String target, String reference, String digest,
    String version, String slot, String kernelVersion, String bootEntry, Map<String, String> partitions,
    long slotSize, List<String> warnings, double seconds, PolicyAcceptance signature) {

  public static final String KIND = "InstallResult";

  public static InstallReport of(InstallService.Outcome outcome) {
    InstallResult result = outcome.result();
    Map<String, String> partitions = new LinkedHashMap<>();
    for (Partition p : result.layout().partitions()) {
      partitions.put(p.role().name().toLowerCase(Locale.ROOT), p.partUuid().toString());
    }
    return new InstallReport(HostStatus.API_VERSION, KIND, result.target().toString(), outcome.image().reference(),
        outcome.image().manifestDigest().toString(), outcome.image().config().labels().get(
            dev.bootj.system.model.ImageIdentity.VERSION_LABEL),
        result.slot().id(), result.kernelVersion(), result.bootEntry().title(), partitions,
        result.layout().slotSizeBytes(), result.warnings(), result.elapsed().toMillis() / 1000.0,
        outcome.image().acceptance());
  }
}
