package dev.bootj.system.update;

import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.Slot;
import java.time.Duration;

/**
 * A staged update: {@code slot} holds the new image and boots next, through {@code entry}.
 *
 * @param keptLocalChanges how many of the machine's /etc changes the merge carried over
 */
public record UpdateResult(Slot slot, BootEntry entry, int keptLocalChanges, Duration elapsed) {}
