package dev.bootj.system.autoupdate;

import java.util.Locale;

/**
 * How one unattended update cycle ended. Each has a stable journal MESSAGE_ID, so that a fleet's
 * log collector can count outcomes ({@code journalctl MESSAGE_ID=...}) whatever the message says.
 */
public enum CycleOutcome {
  /** The tag was resolved; the message says whether there is an update. Nothing was fetched. */
  CHECKED("7c2126b0b20146a68eb3999226b473f4"),
  /** The update's layers are in the store ({@code mode = "download"}). */
  DOWNLOADED("354961ec9823402da7322718fc812554"),
  /** The update is in the other slot and boots next; with mode apply, outside the window. */
  STAGED("7515047a5bfd41f7928fe656c7abd585"),
  /** Inside the window with an update staged: the machine reboots now. */
  REBOOTING("4d8ad937f3c34f399cb0ed6cacc5c5c2"),
  /** The tag names a digest that already failed to boot here; it is left alone. */
  SKIPPED_FAILED_DIGEST("1da03f2b6a414ef0bcaa987e66fc9e41"),
  /** Nothing done on purpose: mode off, a machine pinned to a digest, another bootj busy. */
  SKIPPED("76362182f05d4a3a8d469915de08f758"),
  /** The cycle failed (registry, signature policy, disk); nothing was half-applied. */
  ERROR("645d9fcb008d4fc1a89babfd539618ae");

  private final String messageId;

  CycleOutcome(String messageId) {
    this.messageId = messageId;
  }

  /** The journal's MESSAGE_ID (128 bits, hex). */
  public String messageId() {
    return messageId;
  }

  /** As written in JSON and in the journal: "skipped-failed-digest". */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
