package dev.bootj.system.model;

/** One of the two root partitions; a machine boots one and updates into the other. */
public enum Slot {
  A, B;

  /** Lower-case id used in file names: bootj-a.conf, /bootj/a/vmlinuz, state.json keys. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public Slot other() {
    return this == A ? B : A;
  }
}
