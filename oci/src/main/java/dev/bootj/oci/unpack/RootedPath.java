package dev.bootj.oci.unpack;

import java.nio.file.Path;

/**
 * A location inside the unpack root: {@code absolute} is {@code root/relative}, and no existing
 * component of {@code relative} was a symlink when it was resolved, so file operations on it stay
 * inside the root. {@code relative} is "" for the root itself and uses "/" between components.
 */
record RootedPath(Path absolute, String relative) {

  /** The entry {@code name} in this directory; the name is taken literally, never followed. */
  RootedPath child(String name) {
    return new RootedPath(absolute.resolve(name), relative.isEmpty() ? name : relative + "/" + name);
  }

  boolean isRoot() {
    return relative.isEmpty();
  }
}
