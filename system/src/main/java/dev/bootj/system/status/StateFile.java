package dev.bootj.system.status;

import dev.bootj.common.files.AtomicFile;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * state.json on the state partition, mounted at {@code stateRoot} (/var on the running machine).
 * Replaced whole by rename after an fsync, so a crash leaves the old record or the new one.
 */
public final class StateFile {

  private final Path file;

  public StateFile(Path stateRoot) {
    this.file = stateRoot.resolve(StateRecord.PATH_IN_STATE.substring(1));
  }

  public StateRecord read() throws IOException {
    String json = Files.isRegularFile(file) ? Files.readString(file) : "";
    return json.isBlank() ? new StateRecord(1, Map.of()) : StateRecord.fromJson(json);
  }

  /** Records what {@code slot} now holds; a download of that very image is staged, so no longer pending. */
  public void writeSlot(Slot slot, StateRecord.SlotRecord record) throws IOException {
    StateRecord old = read();
    Map<String, StateRecord.SlotRecord> slots = new TreeMap<>(old.slots());
    slots.put(slot.id(), record);
    StateRecord.SlotRecord downloaded = old.downloaded();
    if (downloaded != null && downloaded.manifestDigest().equals(record.manifestDigest())) {
      downloaded = null;
    }
    write(new StateRecord(old.formatVersion(), slots, downloaded));
  }

  /** Records the image {@code --download-only} fetched (null: none), replacing any earlier one. */
  public void writeDownloaded(StateRecord.SlotRecord record) throws IOException {
    StateRecord old = read();
    write(new StateRecord(old.formatVersion(), old.slots(), record));
  }

  /**
   * Forgets what {@code slot} holds: called before the slot is written, so that a run killed
   * midway leaves no record claiming an image the slot no longer has.
   */
  public void clearSlot(Slot slot) throws IOException {
    StateRecord old = read();
    if (!old.slots().containsKey(slot.id())) {
      return;
    }
    Map<String, StateRecord.SlotRecord> slots = new TreeMap<>(old.slots());
    slots.remove(slot.id());
    write(new StateRecord(old.formatVersion(), slots, old.downloaded()));
  }

  private void write(StateRecord record) throws IOException {
    AtomicFile.write(file, record.toJson());
  }
}
