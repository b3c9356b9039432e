package dev.bootj.system.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bootj.oci.trust.PolicyAcceptance;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * bootj's record of what each slot holds, kept at /var/lib/bootj/state.json on the state
 * partition (shared by both slots, so either can read what the other holds).
 *
 * @param downloaded an image fetched into the machine's store by {@code --download-only} and not
 *     staged yet, for {@code --from-downloaded}; null when there is none. The store keeps its
 *     layers beside the two slots' images.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateRecord(int formatVersion, Map<String, SlotRecord> slots, SlotRecord downloaded) {

  public StateRecord(int formatVersion, Map<String, SlotRecord> slots) {
    this(formatVersion, slots, null);
  }

  /** Path on the running machine. */
  public static final String PATH = "/var/lib/bootj/state.json";
  /** Path inside the state filesystem (it is mounted at /var). */
  public static final String PATH_IN_STATE = "/lib/bootj/state.json";
  /** The machine's own image store inside the state filesystem (/var/lib/bootj/store on the machine). */
  public static final String STORE_IN_STATE = "lib/bootj/store";

  /**
   * What one slot holds and since when; {@code installedAt} is ISO-8601 UTC text
   * ({@link Instant#toString()}), kept as text so the file reads the same in any tool.
   * {@code signature} says how the signature policy accepted the image when it was written (null
   * in records written before bootj checked signatures).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SlotRecord(String imageReference, String manifestDigest, String version,
      String kernelVersion, String installedAt, PolicyAcceptance signature) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public static StateRecord firstInstall(Slot slot, ImageIdentity image, String kernelVersion, Instant now) {
    Map<String, SlotRecord> slots = new TreeMap<>();
    slots.put(slot.id(), new SlotRecord(image.reference(), image.manifestDigest(), image.version(),
        kernelVersion, now.toString(), image.signature()));
    return new StateRecord(1, slots);
  }

  public SlotRecord slot(Slot slot) {
    return slots == null ? null : slots.get(slot.id());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("state record not serializable", e);
    }
  }

  public static StateRecord fromJson(String json) throws IOException {
    StateRecord read = JSON.readValue(json, StateRecord.class);
    return new StateRecord(read.formatVersion(), read.slots() == null ? Map.of() : read.slots(), read.downloaded());
  }
}
