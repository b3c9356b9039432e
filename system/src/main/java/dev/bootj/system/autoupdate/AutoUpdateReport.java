package dev.bootj.system.autoupdate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.system.status.HostStatus;
import java.util.List;

/**
 * What {@code bootj auto-update --json} prints: one cycle; schema
 * docs/schemas/auto-update-v1.schema.json.
 *
 * @param window the maintenance window's spans; empty for any time
 */
@JsonPropertyOrder({"apiVersion", "kind", "mode", "window", "outcome", "message", "image", "digest", "rebootAt",
    "startedAt", "finishedAt"})
public record AutoUpdateReport(String apiVersion, String kind, String mode, List<String> window, String outcome,
    String message, String image, String digest, String rebootAt, String startedAt, String finishedAt) {

  public static final String KIND = "AutoUpdateCycle";

  public static AutoUpdateReport of(AutoUpdateRecord.Cycle cycle, UpdatePolicy policy) {
    return new AutoUpdateReport(HostStatus.API_VERSION, KIND, cycle.mode(),
        policy.window() == null ? List.of() : policy.window().spans(), cycle.outcome(), cycle.message(), cycle.image(),
        cycle.digest(), cycle.rebootAt(), cycle.startedAt(), cycle.finishedAt());
  }
}
