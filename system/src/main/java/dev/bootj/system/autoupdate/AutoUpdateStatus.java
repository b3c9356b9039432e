package dev.bootj.system.autoupdate;

import dev.bootj.common.BootjException;
import dev.bootj.system.status.HostStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The running machine's unattended updates as {@code bootj status} shows them: policy, last cycle, failed digests. */
public final class AutoUpdateStatus {

  private AutoUpdateStatus() {}

  /**
   * @param root where update.toml is read under ("/")
   * @param stateRoot the machine's /var
   * @throws BootjException when update.toml is malformed (the message names the file and key)
   */
  public static HostStatus.AutoUpdate read(Path root, Path stateRoot) throws IOException {
    UpdatePolicy policy = UpdatePolicy.load(root);
    AutoUpdateRecord record = AutoUpdateRecord.read(stateRoot);
    AutoUpdateRecord.Cycle cycle = record.lastCycle();
    HostStatus.LastCycle last = cycle == null ? null
        : new HostStatus.LastCycle(cycle.finishedAt(), cycle.outcome(), cycle.message(), cycle.digest(), cycle.rebootAt());
    List<HostStatus.FailedDigest> failed = record.failedDigests().stream()
        .map(f -> new HostStatus.FailedDigest(f.digest(), f.image(), f.version(), f.seenAt()))
        .toList();
    return new HostStatus.AutoUpdate(policy.mode().id(), policy.window() == null ? List.of() : policy.window().spans(),
        last, failed);
  }
}
