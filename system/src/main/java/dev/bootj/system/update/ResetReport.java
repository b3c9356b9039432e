package dev.bootj.system.update;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.system.status.HostStatus;

/** What {@code bootj reset --json} prints; schema docs/schemas/reset-v1.schema.json. */
@JsonPropertyOrder({"apiVersion", "kind", "target", "reference", "digest", "version", "slot", "bootEntry",
    "rollbackSlot", "wipeVar", "seconds"})
public record ResetReport(String apiVersion, String kind, String target, String reference, String digest,
    String version, String slot, String bootEntry, String rollbackSlot, boolean wipeVar, double seconds) {

  public static final String KIND = "ResetResult";

  public static ResetReport of(ResetService.Outcome outcome) {
    UpdateResult result = outcome.result();
    return new ResetReport(HostStatus.API_VERSION, KIND, outcome.target(), outcome.image().imageReference(),
        outcome.image().manifestDigest(), outcome.image().version(), result.slot().id(), result.entry().fileName(),
        outcome.from().id(), outcome.wipeVar(), result.elapsed().toMillis() / 1000.0);
  }
}
