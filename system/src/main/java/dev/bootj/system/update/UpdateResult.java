package dev.bootj.system.update;

import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.Slot;
import java.time.Duration;

/**
 * A staged update: {@code slot} holds the new image and boots next, through {@code entry}.
 *
 * @param keptLocalChanges how many of the machine's /etc changes the merge carried over
 * @param written how the slot was written, and how much
 */
public record UpdateResult(Slot slot, BootEntry entry, int keptLocalChanges, Duration elapsed, SlotWrite written) {

  /**
   * @param method "patch": only the files that differ were written into the slot's filesystem;
   *     "full": a new filesystem was made from the whole image
   * @param fileBytes content bytes of the files written into the slot
   */
  public record SlotWrite(String method, long fileBytes) {}
}
