package dev.bootj.system.model;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;

import dev.bootj.common.ByteSize;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * bootj's GPT layout for one disk: ESP, root slot A, root slot B, state (/var), in that order,
 * every partition starting and ending on a MiB boundary.
 *
 * <p>The ESP is {@link #ESP_SIZE} unless the install asks for another size. Default slot size: {@code max(2 × image, image + 1 GiB)}, so a later image may grow without a
 * repartition, capped so the state partition still gets at least 1 GiB. The state partition takes
 * whatever remains. The first MiB holds the protective MBR and primary GPT; the last MiB is left
 * for the backup GPT (33 sectors would do; a whole MiB keeps everything aligned).
 */
public record PartitionLayout(long diskSizeBytes, Partition esp, Partition rootA, Partition rootB, Partition state) {

  /** The ESP's size unless the install asks for another ({@code --esp-size}, install.d's {@code esp-size}). */
  public static final long ESP_SIZE = 512 * MIB;
  public static final long MIN_STATE_SIZE = 1 * GIB;
  public static final long ALIGNMENT = MIB;
  static final long GPT_RESERVE = MIB;

  public List<Partition> partitions() {
    return List.of(esp, rootA, rootB, state);
  }

  public Partition slot(Slot slot) {
    return slot == Slot.A ? rootA : rootB;
  }

  public long slotSizeBytes() {
    return rootA.sizeBytes();
  }

  /** The smallest disk that holds slots of {@code slotSize} with a minimum state partition. */
  public static long minimumDiskSize(long slotSize) {
    return minimumDiskSize(slotSize, ESP_SIZE);
  }

  /** The smallest disk that holds an ESP of {@code espSize} and slots of {@code slotSize} with a minimum state partition. */
  public static long minimumDiskSize(long slotSize, long espSize) {
    return GPT_RESERVE + ByteSize.roundUp(espSize, ALIGNMENT) + 2 * ByteSize.roundUp(slotSize, ALIGNMENT)
        + MIN_STATE_SIZE + GPT_RESERVE;
  }

  /** The slot size chosen when the user gives none (see the class comment for the rule). */
  public static long defaultSlotSize(long diskSizeBytes, long imageBytes) {
    return defaultSlotSize(diskSizeBytes, imageBytes, ESP_SIZE);
  }

  /** The slot size chosen when the user gives none, beside an ESP of {@code espSize}. */
  public static long defaultSlotSize(long diskSizeBytes, long imageBytes, long espSize) {
    long wanted = ByteSize.roundUp(Math.max(2 * imageBytes, imageBytes + GIB), ALIGNMENT);
    long room = diskSizeBytes - 2 * GPT_RESERVE - ByteSize.roundUp(espSize, ALIGNMENT) - MIN_STATE_SIZE;
    long cap = ByteSize.roundDown(Math.max(0, room) / 2, ALIGNMENT);
    return Math.min(wanted, cap);
  }

  /**
   * Plans the layout, or says why the disk is too small. {@code slotSizeBytes} null means choose
   * with {@link #defaultSlotSize}. New random PARTUUIDs come from {@code uuids}.
   */
  public static Optional<PartitionLayout> plan(long diskSizeBytes, long imageBytes, Long slotSizeBytes,
      Supplier<UUID> uuids) {
    return plan(diskSizeBytes, imageBytes, slotSizeBytes, ESP_SIZE, uuids);
  }

  /**
   * As {@link #plan(long, long, Long, Supplier)}, with an ESP of {@code espSizeBytes} (rounded up to
   * the alignment) instead of {@link #ESP_SIZE}; whether a FAT32 volume of that size can exist is the
   * ESP's business, checked before this is called.
   */
  public static Optional<PartitionLayout> plan(long diskSizeBytes, long imageBytes, Long slotSizeBytes,
      long espSizeBytes, Supplier<UUID> uuids) {
    long espSize = ByteSize.roundUp(espSizeBytes, ALIGNMENT);
    long slot = slotSizeBytes != null
        ? ByteSize.roundUp(slotSizeBytes, ALIGNMENT)
        : defaultSlotSize(diskSizeBytes, imageBytes, espSize);
    if (slot <= 0 || espSize <= 0 || minimumDiskSize(slot, espSize) > diskSizeBytes) {
      return Optional.empty();
    }
    long usableEnd = ByteSize.roundDown(diskSizeBytes - GPT_RESERVE, ALIGNMENT);
    Partition esp = new Partition(PartitionRole.ESP, GPT_RESERVE, espSize, uuids.get());
    Partition a = new Partition(PartitionRole.ROOT_A, esp.endBytes(), slot, uuids.get());
    Partition b = new Partition(PartitionRole.ROOT_B, a.endBytes(), slot, uuids.get());
    Partition state = new Partition(PartitionRole.STATE, b.endBytes(), usableEnd - b.endBytes(), uuids.get());
    return Optional.of(new PartitionLayout(diskSizeBytes, esp, a, b, state));
  }

  public static Optional<PartitionLayout> plan(long diskSizeBytes, long imageBytes, Long slotSizeBytes) {
    return plan(diskSizeBytes, imageBytes, slotSizeBytes, UUID::randomUUID);
  }
}
