package dev.bootj.cli.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.system.etc.EtcEntry;
import dev.bootj.system.etc.LocalChange;
import dev.bootj.system.status.HostStatus;
import java.util.List;

/** What {@code bootj config-diff --json} prints; docs/schemas/etc-changes-v1.schema.json. */
@JsonPropertyOrder({"apiVersion", "kind", "changes"})
record EtcChangesReport(String apiVersion, String kind, List<Change> changes) {

  /**
   * @param kind added, modified or deleted
   * @param differences for a changed path, what differs from /usr/etc (content, mode, owner, ...)
   */
  @JsonPropertyOrder({"kind", "path", "differences"})
  record Change(String kind, String path, List<String> differences) {}

  static EtcChangesReport of(List<LocalChange> changes) {
    return new EtcChangesReport(HostStatus.API_VERSION, "EtcChanges", changes.stream()
        .map(c -> new Change(c.kind().label(), c.displayPath(),
            c.differences().stream().map(EtcEntry.Difference::label).toList()))
        .toList());
  }
}
