package dev.bootj.system.update;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.file.Path;

/** {@code bootj rollback} on this machine or on a disk that is not running, under the update lock. */
public final class RollbackService {

  /**
   * @param image what the slot that now boots next holds; null when bootj has no record of it
   */
  public record Outcome(String target, Rollback.Result result, StateRecord.SlotRecord image) {}

  private final MachineAccess machines;

  public RollbackService() {
    this(MachineAccess.of(new CommandRunner()));
  }

  /** @param machines how the machine or disk is reached (tests: directories) */
  RollbackService(MachineAccess machines) {
    this.machines = machines;
  }

  public Outcome rollback(Path disk) throws IOException {
    try (UpdateLock lock = machines.lock(disk); UpdateTarget machine = machines.open(disk)) {
      Rollback.Result result = new Rollback().rollback(machine);
      MachineStoreTrim.trim(machine.stateRoot(), warning -> {});
      DiskStatus.SlotStatus to = machine.status().slots().get(result.to());
      return new Outcome(machine.description(), result, to == null ? null : to.image());
    }
  }
}
