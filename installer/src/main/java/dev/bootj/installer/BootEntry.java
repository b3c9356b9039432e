package dev.bootj.installer;

import dev.bootj.installer.image.OsRelease;
import java.util.List;

/**
 * One Boot Loader Specification type #1 entry (loader/entries/bootj-&lt;slot&gt;.conf on the ESP),
 * booting one slot's kernel with that slot's root.
 */
public record BootEntry(Slot slot, String title, String version, String kernelPath, String initrdPath,
    List<String> options) {

  /** The entry for {@code slot}: root by PARTUUID, rw, then the image's kargs, then the user's. */
  public static BootEntry forSlot(Slot slot, OsRelease osRelease, ImageIdentity image, String kernelVersion,
      java.util.UUID rootPartUuid, List<String> imageKargs, List<String> extraKargs) {
    List<String> options = new java.util.ArrayList<>();
    options.add("root=PARTUUID=" + rootPartUuid);
    options.add("rw");
    options.addAll(imageKargs);
    options.addAll(extraKargs);
    String title = osRelease.prettyName() + " (" + image.shortDigest() + ", slot " + slot.id() + ")";
    return new BootEntry(slot, title, kernelVersion, kernelPath(slot), initrdPath(slot), List.copyOf(options));
  }

  /** The entry's file name; systemd-boot's entry id, which loader.conf's default names. */
  public static String fileName(Slot slot) {
    return "bootj-" + slot.id() + ".conf";
  }

  public static String kernelPath(Slot slot) {
    return "/bootj/" + slot.id() + "/vmlinuz";
  }

  public static String initrdPath(Slot slot) {
    return "/bootj/" + slot.id() + "/initrd";
  }

  public String text() {
    return "title " + title + "\n"
        + "version " + version + "\n"
        // Keeps both slots together, in slot order, among other entries on a shared ESP.
        + "sort-key bootj-" + slot.id() + "\n"
        + "linux " + kernelPath + "\n"
        + "initrd " + initrdPath + "\n"
        + "options " + String.join(" ", options) + "\n";
  }
}
