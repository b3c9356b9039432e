package dev.bootj.oci.unpack;

import java.util.ArrayList;
import java.util.List;

/** How a tar entry's name, or a hard link's target, names a path below the unpack root. */
final class EntryNames {

  private EntryNames() {}

  /**
   * The components of a tar entry name or hard link target, with leading "/", "." and empty
   * components dropped and ".." applied lexically: "/usr/bin", "./usr/bin" and "usr/bin" all name
   * the same path, and "/", "." and "./" name the root itself (no components), as containerd,
   * umoci and GNU tar read them. Names whose ".." climbs above the root are refused: no builder
   * writes them, so they are treated as an attack.
   */
  static List<String> components(String name, String entryName) throws UnsafeLayerException {
    if (name.indexOf('\0') >= 0) {
      throw new UnsafeLayerException(entryName, "has a NUL byte in a name");
    }
    List<String> components = new ArrayList<>();
    for (String component : name.split("/")) {
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..")) {
        if (components.isEmpty()) {
          throw new UnsafeLayerException(entryName, "climbs out of the root with '..' in '" + name + "'");
        }
        components.remove(components.size() - 1);
      } else {
        components.add(component);
      }
    }
    return components;
  }

}
