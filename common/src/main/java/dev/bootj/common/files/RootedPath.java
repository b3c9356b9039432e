package dev.bootj.common.files;

import java.nio.file.Path;

/**
 * A location inside a root directory: {@code absolute} is {@code root/relative}, and no existing
 * component of {@code relative} was a symlink when it was resolved, so file operations on it stay
 * inside the root. {@code relative} is "" for the root itself and uses "/" between components.
 */
public record RootedPath(Path absolute, String relative) {

  /** The entry {@code name} in this directory; the name is taken literally, never followed. */
  public RootedPath child(String name) {
    return new RootedPath(absolute.resolve(name), relative.isEmpty() ? name : relative + "/" + name);
  }

  public boolean isRoot() {
    return relative.isEmpty();
  }
}
