package dev.bootj.oci.unpack;

/**
 * A layer entry that would create, change or delete something outside the target root. Unpacking
 * stops at the first such entry; nothing outside the root has been touched.
 */
public class UnsafeLayerException extends InvalidLayerException {

  private final String entryName;

  public UnsafeLayerException(String entryName, String why) {
    super("layer entry '" + entryName + "' " + why + "; refusing to unpack this image");
    this.entryName = entryName;
  }

  public String entryName() {
    return entryName;
  }
}
