package dev.bootj.system.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bootj status --json} prints: a typed, versioned record, shaped like a Kubernetes
 * object (as bootc's {@code BootcHost} is). {@code spec} is what the machine follows; {@code
 * status} what it has. Its JSON Schema is docs/schemas/host-v1.schema.json; a field is never
 * removed or renamed within {@code bootj.dev/v1}, only added.
 */
@JsonPropertyOrder({"apiVersion", "kind", "spec", "status"})
public record HostStatus(String apiVersion, String kind, Spec spec, Status status) {

  public static final String API_VERSION = "bootj.dev/v1";
  public static final String KIND = "BootjHost";

  /**
   * @param image the image reference of the slot that boots next, which {@code bootj upgrade}
   *     follows; null when bootj has no record of it
   * @param pinned the reference names a digest, so upgrade does nothing
   */
  @JsonPropertyOrder({"image", "pinned"})
  public record Spec(String image, boolean pinned) {}

  /**
   * @param disk the disk read (on the running machine, the one holding the booted slot)
   * @param booted the slot the machine runs; null when read offline
   * @param defaultSlot the slot that boots next
   * @param staged the slot that boots next when it is not the booted one
   * @param rollback the slot {@code bootj rollback} would make boot next
   */
  @JsonPropertyOrder({"disk", "booted", "default", "staged", "rollback", "rollbackHappened", "slots", "autoUpdate"})
  public record Status(String disk, String booted, @JsonProperty("default") String defaultSlot, String staged,
      String rollback, RollbackHappened rollbackHappened, Map<String, SlotStatus> slots, AutoUpdate autoUpdate) {}

  /**
   * The unattended updates of the running machine (null when read offline): its policy, its last
   * cycle and the digests it will not stage again.
   *
   * @param window the maintenance window's spans; empty for any time
   * @param lastCycle null before the first cycle
   */
  @JsonPropertyOrder({"mode", "window", "lastCycle", "failedDigests"})
  public record AutoUpdate(String mode, List<String> window, LastCycle lastCycle, List<FailedDigest> failedDigests) {}

  /** @param rebootAt when a staged update will be rebooted into; null when none is waiting for the window */
  @JsonPropertyOrder({"finishedAt", "outcome", "message", "digest", "rebootAt"})
  public record LastCycle(String finishedAt, String outcome, String message, String digest, String rebootAt) {}

  /** A digest that failed to boot here; auto-update skips it until the tag names another image. */
  @JsonPropertyOrder({"digest", "image", "version", "seenAt"})
  public record FailedDigest(String digest, String image, String version, String seenAt) {}

  /** This record with the running machine's auto-update facts added. */
  public HostStatus withAutoUpdate(AutoUpdate autoUpdate) {
    return new HostStatus(apiVersion, kind, spec, new Status(status.disk(), status.booted(), status.defaultSlot(),
        status.staged(), status.rollback(), status.rollbackHappened(), status.slots(), autoUpdate));
  }

  /** The newest entry ran out of boot tries, so systemd-boot went back to the other slot. */
  @JsonPropertyOrder({"failedSlot", "failedImage", "failedDigest", "failedVersion", "bootedInstead"})
  public record RollbackHappened(String failedSlot, String failedImage, String failedDigest, String failedVersion,
      String bootedInstead) {}

  /**
   * One slot. {@code empty} when bootj has no record of an image in it; the image fields are then
   * null, and so are the boot entry fields when it has no entry.
   */
  @JsonPropertyOrder({"empty", "partUuid", "image", "digest", "version", "kernelVersion", "installedAt",
      "bootEntry", "kernelOptions", "generation", "bootCounter", "signature"})
  public record SlotStatus(boolean empty, String partUuid, String image, String digest, String version,
      String kernelVersion, String installedAt, String bootEntry, String kernelOptions, Long generation,
      BootCounterStatus bootCounter, PolicyAcceptance signature) {}

  /**
   * @param state good (blessed, or never counted), trying (tries left) or failed (none left);
   *     null without a boot entry
   */
  @JsonPropertyOrder({"state", "triesLeft", "triesDone"})
  public record BootCounterStatus(String state, Integer triesLeft, Integer triesDone) {}

  public static HostStatus of(DiskStatus status) {
    DiskStatus.SlotStatus next = status.defaultSlot() == null ? null : status.slots().get(status.defaultSlot());
    String followed = next == null || next.image() == null ? null : next.image().imageReference();
    Map<String, SlotStatus> slots = new LinkedHashMap<>();
    for (Slot slot : Slot.values()) {
      slots.put(slot.id(), slot(status.slots().get(slot)));
    }
    RollbackHappened rollbackHappened = null;
    if (status.failedSlot() != null) {
      DiskStatus.SlotStatus failed = status.slots().get(status.failedSlot());
      StateRecord.SlotRecord image = failed == null ? null : failed.image();
      rollbackHappened = new RollbackHappened(status.failedSlot().id(), image == null ? null : image.imageReference(),
          image == null ? null : image.manifestDigest(), image == null ? null : image.version(), id(status.defaultSlot()));
    }
    return new HostStatus(API_VERSION, KIND, new Spec(followed, followed != null && isPinned(followed)),
        new Status(status.disk() == null ? null : status.disk().toString(), id(status.bootedSlot()),
            id(status.defaultSlot()), status.staged() ? id(status.defaultSlot()) : null, id(status.rollbackSlot()),
            rollbackHappened, slots, null));
  }

  /** A reference that names a digest ({@code repo@sha256:...}) pins the machine to it. */
  public static boolean isPinned(String reference) {
    return reference.contains("@sha256:");
  }

  /** good, trying or failed, as {@link BootCounterStatus#state()} says. */
  public static String counterState(DiskStatus.SlotStatus slot) {
    if (!slot.hasBootEntry()) {
      return null;
    }
    if (slot.counter() == null) {
      return "good";
    }
    return slot.counter().exhausted() ? "failed" : "trying";
  }

  private static SlotStatus slot(DiskStatus.SlotStatus s) {
    if (s == null) {
      return new SlotStatus(true, null, null, null, null, null, null, null, null, null,
          new BootCounterStatus(null, null, null), null);
    }
    StateRecord.SlotRecord image = s.image();
    return new SlotStatus(image == null, s.partUuid() == null ? null : s.partUuid().toString(),
        image == null ? null : image.imageReference(), image == null ? null : image.manifestDigest(),
        image == null ? null : image.version(), image == null ? null : image.kernelVersion(),
        image == null ? null : image.installedAt(), s.hasBootEntry() ? s.bootEntryTitle() : null,
        s.kernelOptions(), s.hasBootEntry() ? s.generation() : null,
        new BootCounterStatus(counterState(s), s.counter() == null ? null : s.counter().triesLeft(),
            s.counter() == null ? null : s.counter().triesDone()),
        image == null ? null : image.signature());
  }

  private static String id(Slot slot) {
    return slot == null ? null : slot.id();
  }
}
