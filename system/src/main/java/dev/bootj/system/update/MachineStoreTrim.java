package dev.bootj.system.update;

import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StorePruner;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Keeps a machine's own image store (on its state partition, so in its /var) to the images its
 * two slots hold and the one {@code --download-only} fetched: once an update or a rollback is
 * complete, every other image record and every blob no remaining record needs is removed, under
 * the store's exclusive lock. Without this, every update would leave its layers in /var for good.
 * Other stores (a build host's) are never trimmed; {@code bootj image prune} is for them.
 */
final class MachineStoreTrim {

  private MachineStoreTrim() {}

  /**
   * Trims the store under {@code stateRoot} (where the machine's /var is mounted) to the images
   * its state.json, beside it, says the slots hold. A failure is reported through {@code warnings}
   * and otherwise ignored: the update it follows is complete, and a larger /var is not an error.
   */
  static StorePruner.Result trim(Path stateRoot, Consumer<String> warnings) {
    Path root = stateRoot.resolve(StateRecord.STORE_IN_STATE);
    if (!Files.isDirectory(root)) {
      return null;
    }
    try {
      StateRecord state = new StateFile(stateRoot).read();
      Set<String> slotDigests = state == null || state.slots() == null ? Set.of() : state.slots().values().stream()
          .map(slot -> slot == null ? null : slot.manifestDigest())
          .filter(Objects::nonNull)
          .collect(Collectors.toSet());
      if (slotDigests.isEmpty()) {
        return null; // no record of the slots: nothing is known to be unused
      }
      Set<String> kept = new HashSet<>(slotDigests);
      if (state.downloaded() != null) {
        kept.add(state.downloaded().manifestDigest());
      }
      return new StorePruner(BlobStore.open(root))
          .pruneRecords(record -> kept.contains(record.manifestDigest().toString()));
    } catch (IOException | RuntimeException e) {
      warnings.accept("warning: the machine's image store " + root + " was not trimmed (" + e.getMessage()
          + "); 'bootj image prune' frees the space");
      return null;
    }
  }
}
