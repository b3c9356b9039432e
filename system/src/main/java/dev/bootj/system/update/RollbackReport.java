package dev.bootj.system.update;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.system.status.HostStatus;

/** What {@code bootj rollback --json} prints; schema docs/schemas/rollback-v1.schema.json. */
@JsonPropertyOrder({"apiVersion", "kind", "target", "from", "to", "reference", "digest", "version"})
public record RollbackReport(String apiVersion, String kind, String target, String from, String to, String reference,
    String digest, String version) {

  public static final String KIND = "RollbackResult";

  public static RollbackReport of(RollbackService.Outcome outcome) {
    var image = outcome.image();
    return new RollbackReport(HostStatus.API_VERSION, KIND, outcome.target(), outcome.result().from().id(),
        outcome.result().to().id(), image == null ? null : image.imageReference(),
        image == null ? null : image.manifestDigest(), image == null ? null : image.version());
  }
}
