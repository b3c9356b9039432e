package dev.bootj.oci.unpack;

import dev.bootj.common.files.RootResolver;
import dev.bootj.common.files.RootedPath;

import dev.bootj.common.posix.PosixCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the layer being applied has done so far, for the two rules that depend on it:
 *
 * <ul>
 *   <li>Whiteouts delete only what lower layers left. Every path this layer created, and each of
 *       its ancestors, is recorded; a whiteout (opaque or not) spares those wherever the marker
 *       sits in the tar.
 *   <li>Directory mode and mtime are final only once all children are written, and a directory
 *       without an entry in this layer keeps the mtime it had. Directory entries are deferred here;
 *       directories whose children change get their previous mtime recorded before the first
 *       change and restored at the end.
 * </ul>
 */
final class LayerChangeLog {

  private record DeferredDirectory(String relative, int mode, Instant mtime) {}

  private final Set<String> touched = new HashSet<>();
  private final Map<String, DeferredDirectory> directoryEntries = new LinkedHashMap<>();
  private final Map<String, Instant> previousDirectoryTimes = new HashMap<>();
  private final Map<String, Integer> modesToRestore = new HashMap<>();
  private final Path root;
  private final boolean rootless;

  /**
   * @param root the unpack root
   * @param rootless whether to open read-only directories to their owner before changing their
   *     children: without CAP_DAC_OVERRIDE a 0555 directory from a lower layer cannot be written
   */
  LayerChangeLog(Path root, boolean rootless) {
    this.root = root;
    this.rootless = rootless;
  }

  /** Records that this layer wrote {@code path}, which protects it and its ancestors from whiteouts. */
  void created(RootedPath path) {
    String relative = path.relative();
    while (touched.add(relative) && !relative.isEmpty()) {
      int slash = relative.lastIndexOf('/');
      relative = slash < 0 ? "" : relative.substring(0, slash);
    }
  }

  boolean createdOrAncestorOfCreated(RootedPath path) {
    return touched.contains(path.relative());
  }

  void directoryEntry(RootedPath directory, int mode, Instant mtime) {
    directoryEntries.put(directory.relative(), new DeferredDirectory(directory.relative(), mode, mtime));
  }

  /**
   * The mode {@code directory} will have at the end of this layer if the layer has an entry for
   * it, else null (it keeps the mode it has on disk).
   */
  Integer pendingMode(RootedPath directory) {
    DeferredDirectory entry = directoryEntries.get(directory.relative());
    return entry == null ? null : entry.mode();
  }

  /** Call before adding or removing a child of {@code directory}. */
  void childrenChanging(RootedPath directory) throws IOException {
    if (previousDirectoryTimes.containsKey(directory.relative())) {
      return;
    }
    BasicFileAttributes attributes = RootResolver.lstatOrNull(directory.absolute());
    if (attributes != null && attributes.isDirectory()) {
      previousDirectoryTimes.put(directory.relative(), attributes.lastModifiedTime().toInstant());
      if (rootless) {
        int mode = (Integer) Files.getAttribute(directory.absolute(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0700) != 0700) {
          PosixCalls.chmod(directory.absolute(), mode | 0700);
          modesToRestore.put(directory.relative(), mode & 07777);
        }
      }
    }
  }

  /** Gives directories their final mode and mtime; the layer's children are all written now. */
  void finish(MetadataWriter metadata) throws IOException {
    for (Map.Entry<String, Instant> previous : previousDirectoryTimes.entrySet()) {
      if (!directoryEntries.containsKey(previous.getKey())) {
        Path path = directoryStillInRoot(previous.getKey());
        if (path != null) {
          Integer mode = modesToRestore.get(previous.getKey());
          if (mode != null) {
            PosixCalls.chmod(path, mode);
          }
          metadata.modifiedTime(path, previous.getValue());
        }
      }
    }
    for (DeferredDirectory directory : directoryEntries.values()) {
      Path path = directoryStillInRoot(directory.relative());
      if (path != null) {
        PosixCalls.chmod(path, directory.mode());
        metadata.times(path, directory.mtime());
      }
    }
  }

  /**
   * The directory at {@code relative} if it still is one, reached through real directories only;
   * else null. A later entry of the same layer may have replaced it, or one of its parents, with
   * something else, a symlink to the host included: its recorded mode and time must then go
   * nowhere, rather than through that symlink to whatever the host has there.
   */
  private Path directoryStillInRoot(String relative) throws IOException {
    Path current = root;
    if (!relative.isEmpty()) {
      for (String component : relative.split("/")) {
        current = current.resolve(component);
        BasicFileAttributes attributes = RootResolver.lstatOrNull(current);
        if (attributes == null || !attributes.isDirectory()) {
          return null;
        }
      }
    }
    return current;
  }
}
