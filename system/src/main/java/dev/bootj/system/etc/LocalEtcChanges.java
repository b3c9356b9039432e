package dev.bootj.system.etc;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The user's changes to /etc: the machine's /etc against the booted image's pristine copy at
 * {@code /usr/etc}. This is what `bootj config-diff` prints and what the three-way merge keeps.
 * Every path is listed, so a deleted directory is followed by each path that was inside it.
 */
public final class LocalEtcChanges {

  /**
   * The changes of the system whose root is {@code root} ({@code /}, or a slot mounted elsewhere):
   * its /etc against its /usr/etc.
   *
   * @throws BootjException when {@code root} has no /usr/etc, so it was not installed by bootj
   */
  public List<LocalChange> ofSystem(Path root) throws IOException {
    Path pristine = root.resolve("usr/etc");
    if (!Files.isDirectory(pristine, LinkOption.NOFOLLOW_LINKS)) {
      throw new BootjException(BootjException.Kind.SYSTEM, pristine + " does not exist: this system was not installed"
          + " by bootj, so there is no pristine /etc to compare with");
    }
    return list(pristine, root.resolve("etc"));
  }

  /** Lists the changes, sorted by path (a directory before its contents). */
  public List<LocalChange> list(Path pristineEtc, Path etc) throws IOException {
    return between(EtcTree.capture(pristineEtc), EtcTree.capture(etc));
  }

  static List<LocalChange> between(EtcTree pristine, EtcTree current) throws IOException {
    SortedSet<String> paths = new TreeSet<>(EtcTree::compareRelativePaths);
    paths.addAll(pristine.entries().keySet());
    paths.addAll(current.entries().keySet());
    List<LocalChange> changes = new ArrayList<>();
    for (String path : paths) {
      EtcEntry before = pristine.get(path);
      EtcEntry now = current.get(path);
      if (before == null) {
        changes.add(new LocalChange(LocalChange.Kind.ADDED, path, Set.of()));
      } else if (now == null) {
        changes.add(new LocalChange(LocalChange.Kind.DELETED, path, Set.of()));
      } else {
        Set<EtcEntry.Difference> differences = now.differencesFrom(before);
        if (!differences.isEmpty()) {
          changes.add(new LocalChange(LocalChange.Kind.MODIFIED, path, differences));
        }
      }
    }
    return changes;
  }
}
