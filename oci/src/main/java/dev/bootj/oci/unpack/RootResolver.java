package dev.bootj.oci.unpack;

import dev.bootj.oci.UnsafeLayerException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves layer paths inside a root directory the way the kernel would after chroot(root): each
 * component is looked at with lstat, a symlink met on the way is followed with an absolute target
 * re-rooted at root, and ".." never climbs above root. So whatever symlinks earlier entries or
 * layers planted, the result names something inside root.
 *
 * <p>Only directories are resolved this way; callers append the final component themselves with
 * {@link RootedPath#child} because an entry's own name is never followed.
 *
 * <p>Fully existing results are cached because a layer writes thousands of entries into the same
 * few directories. The cache is only valid while no existing path changes type, so the unpacker
 * calls {@link #forget()} whenever it removes something or creates a symlink.
 */
final class RootResolver {

  /** Linux gives up after 40; 255 is the limit the layer format asks us to allow. */
  static final int MAX_LINK_HOPS = 255;

  private final Path root;
  private final Map<String, RootedPath> resolvedDirectories = new HashMap<>();
  private final Set<String> knownDirectories = new HashSet<>();

  RootResolver(Path root) {
    this.root = root;
  }

  RootedPath root() {
    return new RootedPath(root, "");
  }

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

  /**
   * Resolves every component, following symlinks chroot-style. The result may not exist; if it
   * does it was a directory or something else when checked, which callers must look at.
   */
  RootedPath resolve(List<String> components, String entryName) throws IOException {
    String key = String.join("/", components);
    RootedPath cached = resolvedDirectories.get(key);
    if (cached != null) {
      return cached;
    }
    Deque<String> pending = new ArrayDeque<>(components);
    List<String> resolved = new ArrayList<>();
    Path current = root;
    int hops = 0;
    while (!pending.isEmpty()) {
      String component = pending.pollFirst();
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
          current = current.getParent();
        }
        continue;
      }
      Path next = current.resolve(component);
      BasicFileAttributes attributes = lstatOrNull(next);
      if (attributes != null && attributes.isSymbolicLink()) {
        if (++hops > MAX_LINK_HOPS) {
          throw new UnsafeLayerException(
              entryName, "goes through more than " + MAX_LINK_HOPS + " symbolic links (a loop?)");
        }
        String target = Files.readSymbolicLink(next).toString();
        if (target.startsWith("/")) {
          resolved.clear();
          current = root;
        }
        String[] targetComponents = target.split("/");
        for (int i = targetComponents.length - 1; i >= 0; i--) {
          pending.addFirst(targetComponents[i]);
        }
        continue;
      }
      resolved.add(component);
      current = next;
    }
    RootedPath result = new RootedPath(current, String.join("/", resolved));
    BasicFileAttributes attributes = resolved.isEmpty() ? null : lstatOrNull(current);
    if (resolved.isEmpty() || (attributes != null && attributes.isDirectory())) {
      resolvedDirectories.put(key, result);
    }
    return result;
  }

  /** Drops cached resolutions; call after anything in the root was removed or a symlink created. */
  void forget() {
    resolvedDirectories.clear();
    knownDirectories.clear();
  }

  /** Records that {@code path} is a real directory now; valid until the next {@link #forget()}. */
  void knownDirectory(RootedPath path) {
    knownDirectories.add(path.relative());
  }

  boolean isKnownDirectory(RootedPath path) {
    return knownDirectories.contains(path.relative());
  }

  /** lstat, with "does not exist" and "a parent is not a directory" both answered by null. */
  static BasicFileAttributes lstatOrNull(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (FileSystemException e) {
      if ("Not a directory".equals(e.getReason())) {
        return null;
      }
      throw e;
    }
  }
}
