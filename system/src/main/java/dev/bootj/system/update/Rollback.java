package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.model.BootOrder;
import dev.bootj.system.model.InstalledBootEntry;
import dev.bootj.system.model.Slot;
import java.io.IOException;

/**
 * {@code bootj rollback}: the slot that does not boot next is made to boot next, by giving its
 * entry the highest generation (one rename on the ESP). Nothing else changes, so rolling back
 * twice returns to where it started. On the running machine this either cancels a staged update
 * (back to the booted slot) or goes back to the previous image.
 */
public final class Rollback {

  /** The slot booting next before ({@code from}) and after ({@code to}). */
  public record Result(Slot from, Slot to) {}

  public Result rollback(UpdateTarget target) throws IOException {
    Esp esp = target.esp();
    BootOrder order = BootOrder.of(esp.entries());
    Slot from = order.next().orElseThrow(() -> new BootjException(BootjException.Kind.SYSTEM,
        target.description() + " has no boot entry of bootj's; nothing to roll back"));
    Slot to = from.other();
    InstalledBootEntry entry = order.entry(to).orElseThrow(() -> new BootjException(BootjException.Kind.SYSTEM,
        "slot " + to.id() + " has no boot entry (it was never installed, or an update into it did not finish);"
            + " nothing to roll back to"));
    if (entry.failed()) {
      throw new BootjException(BootjException.Kind.SYSTEM, "slot " + to.id() + " failed to boot (its boot counter"
          + " ran out); nothing to roll back to. Stage a working image with 'bootj switch IMAGE'");
    }
    esp.writeAtomically(Esp.entryPath(entry.fileName()), entry.textWithGeneration(order.nextGeneration()));
    esp.sync();
    target.flush();
    return new Result(from, to);
  }
}
