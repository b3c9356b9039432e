package dev.bootj.system.model;

import java.util.Locale;
import java.util.UUID;

/** What each of bootj's four GPT partitions is for, with its number, type and name. */
public enum PartitionRole {
  ESP(1, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "ESP"),
  // Discoverable Partitions root type for x86-64: tools that know the spec see both slots as roots.
  ROOT_A(2, "4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "bootj-root-a"),
  ROOT_B(3, "4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "bootj-root-b"),
  // Discoverable Partitions /var type.
  STATE(4, "4d21b016-b534-45c2-a9fb-5c16e091fd2d", "bootj-state");

  private final int number;
  private final UUID type;
  private final String label;

  PartitionRole(int number, String type, String label) {
    this.number = number;
    this.type = UUID.fromString(type);
    this.label = label;
  }

  public int number() {
    return number;
  }

  public UUID type() {
    return type;
  }

  /** The GPT partition name. */
  public String label() {
    return label;
  }

  public static PartitionRole of(Slot slot) {
    return slot == Slot.A ? ROOT_A : ROOT_B;
  }

  public String displayName() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
