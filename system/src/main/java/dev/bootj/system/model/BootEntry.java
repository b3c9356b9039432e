package dev.bootj.system.model;

import java.util.List;
import java.util.UUID;

/**
 * One Boot Loader Specification type #1 entry (loader/entries/bootj-&lt;slot&gt;.conf on the ESP),
 * booting one slot's kernel with that slot's root.
 *
 * <p>Which slot boots is decided by the entries alone, never by loader.conf naming one: both
 * entries share a sort key, and their {@code version} starts with a generation number that every
 * install, update and rollback raises. systemd-boot sorts entries whose boot counter ran out last
 * and otherwise puts the highest version first, and loader.conf's {@code default bootj-*} picks the
 * first of bootj's entries. So the newest entry boots, and when it has failed its tries, the one
 * before it does: the automatic rollback needs no EFI variable and no help from a booted system.
 *
 * @param generation orders the entries: the highest one that has not failed boots
 * @param kernelVersion the kernel's version, shown after the generation
 * @param counter the boot counter in the file name ({@code +3}), or null for an entry that is not
 *     (or no longer) being assessed
 */
public record BootEntry(Slot slot, String title, long generation, String kernelVersion, String kernelPath,
    String initrdPath, List<String> options, BootCounter counter) {

  /** Tries a new slot gets before systemd-boot gives up on it, as in systemd's own examples. */
  public static final int TRIES = 3;

  /** The same for every bootj entry, so they are ordered by version only. */
  public static final String SORT_KEY = "bootj";

  public BootEntry {
    options = List.copyOf(options);
  }

  /** The entry for {@code slot}: root by PARTUUID, rw, then the image's kargs, then the user's. */
  public static BootEntry forSlot(Slot slot, OsRelease osRelease, ImageIdentity image, String kernelVersion,
      UUID rootPartUuid, List<String> imageKargs, List<String> extraKargs) {
    List<String> options = new java.util.ArrayList<>();
    options.add(rootOption(rootPartUuid));
    options.add("rw");
    options.addAll(imageKargs);
    options.addAll(extraKargs);
    return new BootEntry(slot, title(osRelease, image, slot), 1, kernelVersion, kernelPath(slot), initrdPath(slot),
        options, null);
  }

  public static String title(OsRelease osRelease, ImageIdentity image, Slot slot) {
    return osRelease.prettyName() + " (" + image.shortDigest() + ", slot " + slot.id() + ")";
  }

  public static String rootOption(UUID rootPartUuid) {
    return "root=PARTUUID=" + rootPartUuid;
  }

  public BootEntry withGeneration(long newGeneration) {
    return new BootEntry(slot, title, newGeneration, kernelVersion, kernelPath, initrdPath, options, counter);
  }

  public BootEntry withCounter(BootCounter newCounter) {
    return new BootEntry(slot, title, generation, kernelVersion, kernelPath, initrdPath, options, newCounter);
  }

  /** The entry's file name without a boot counter; systemd-boot's entry id. */
  public static String fileName(Slot slot) {
    return "bootj-" + slot.id() + ".conf";
  }

  /** The file name on the ESP: with the counter ({@code bootj-b+3.conf}) while it counts. */
  public String fileName() {
    return counter == null ? fileName(slot) : "bootj-" + slot.id() + counter.suffix() + ".conf";
  }

  public static String kernelPath(Slot slot) {
    return "/bootj/" + slot.id() + "/vmlinuz";
  }

  public static String initrdPath(Slot slot) {
    return "/bootj/" + slot.id() + "/initrd";
  }

  /** The version line: the generation first, so systemd-boot's version order is bootj's order. */
  public String version() {
    return generation + "-" + kernelVersion;
  }

  public String text() {
    return "title " + title + "\n"
        + "version " + version() + "\n"
        + "sort-key " + SORT_KEY + "\n"
        + "linux " + kernelPath + "\n"
        + "initrd " + initrdPath + "\n"
        + "options " + String.join(" ", options) + "\n";
  }
}
