package dev.bootj.system.etc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The three-way merge of /etc done when a new image is staged (ostree's rules). Three trees go
 * in: OLD, the booted image's pristine /etc ({@code /usr/etc}); CURRENT, the machine's /etc with
 * its local changes; NEW, the new image's pristine /etc. The new slot's /etc comes out.
 *
 * <p>Each path is first classified by what the user did to it, CURRENT against OLD:
 *
 * <ul>
 *   <li><b>modified</b>: in both, but type, content, mode, owner (uid or gid), xattrs, symlink
 *       target or device number differ ({@link EtcEntry#differencesFrom}; times are ignored);
 *   <li><b>added</b>: in CURRENT only;
 *   <li><b>deleted</b>: in OLD only;
 *   <li><b>untouched</b>: identical in both, or in neither (NEW alone has it).
 * </ul>
 *
 * <p>Then the merged tree starts from NEW and, path by path ("dir" is a directory, "leaf" is
 * anything else: file, symlink, FIFO, device):
 *
 * <table>
 *   <caption>Outcome by user action (CURRENT vs OLD) and what NEW has</caption>
 *   <tr><th>user</th><th>CURRENT</th><th>NEW</th><th>merged /etc</th></tr>
 *   <tr><td>untouched</td><td>-</td><td>absent</td><td>absent (the image removed it)</td></tr>
 *   <tr><td>untouched</td><td>-</td><td>any</td><td>NEW's version</td></tr>
 *   <tr><td>untouched dir holding user changes</td><td>dir</td><td>absent</td>
 *       <td>CURRENT's directory, so the user's changes inside it have a home</td></tr>
 *   <tr><td>untouched dir holding user changes</td><td>dir</td><td>leaf</td>
 *       <td><b>conflict</b>: move the changes inside aside</td></tr>
 *   <tr><td>deleted</td><td>absent</td><td>any</td>
 *       <td>absent, even if NEW changed it; a deleted directory's new contents too</td></tr>
 *   <tr><td>modified or added</td><td>leaf</td><td>absent or leaf</td>
 *       <td>CURRENT's version (also when the image removed the path)</td></tr>
 *   <tr><td>modified or added</td><td>leaf</td><td>dir</td>
 *       <td><b>conflict</b>: the user's file is in the way of the image's directory</td></tr>
 *   <tr><td>modified or added</td><td>dir</td><td>absent or dir</td>
 *       <td>a directory with CURRENT's metadata; its contents merged by these rules</td></tr>
 *   <tr><td>modified or added</td><td>dir</td><td>leaf</td>
 *       <td><b>conflict</b>: the user's directory is in the way of the image's file</td></tr>
 *   <tr><td>any</td><td>socket</td><td>-</td>
 *       <td><b>conflict</b> when the socket would be kept: a socket cannot be copied</td></tr>
 * </table>
 *
 * <p>A path inside a directory that the merged tree does not have (or has as a leaf) is absent;
 * a conflict is reported once, at the highest path it concerns. {@link #plan} lists every
 * conflict in one {@link EtcMergeConflict} before anything is written.
 *
 * <p><b>Symlinks</b> are values: their target text is compared and copied verbatim and never
 * followed, so a link to a directory outside the trees is neither read nor written through.
 *
 * <p><b>Hard links</b>: planned files that are one inode where they are copied from (same device
 * and inode number) become one inode in the merged tree. When the merge takes some links of a
 * group from CURRENT and others from NEW (the user edited one name of a group with an editor that
 * writes a new file), each tree's links stay together and the two are separate files, which is
 * what the user's edit had already made them.
 *
 * <p><b>Metadata</b>: owner, all twelve mode bits, every xattr and the modification time (also
 * used as access time) are copied for every entry, symlinks included (except their mode, which
 * Linux does not have).
 */
public final class EtcMerge {

  /**
   * Decides the merged tree without writing anything.
   *
   * @throws EtcMergeConflict listing every conflict, one per line, when the rules cannot settle
   *     some paths
   */
  public EtcMergePlan plan(Path oldPristine, Path current, Path newPristine) throws IOException {
    return plan(EtcTree.capture(oldPristine), EtcTree.capture(current),
        EtcTree.capture(newPristine));
  }

  /**
   * The image's /etc as shipped and nothing of the machine's: what a factory reset writes. Its
   * plan lists no local change, and {@link #apply} writes it with the same fidelity as a merge.
   */
  public EtcMergePlan imageDefaults(Path newPristine) throws IOException {
    EtcTree fresh = EtcTree.capture(newPristine);
    SortedMap<String, EtcMergePlan.PlannedEntry> entries = new TreeMap<>(EtcTree::compareRelativePaths);
    fresh.entries().forEach((path, entry) ->
        entries.put(path, new EtcMergePlan.PlannedEntry(path, entry, EtcMergePlan.Reason.NEW_IMAGE)));
    return new EtcMergePlan(new ArrayList<>(entries.values()), List.of());
  }

  EtcMergePlan plan(EtcTree old, EtcTree current, EtcTree fresh) throws IOException {
    List<LocalChange> localChanges = LocalEtcChanges.between(old, current);
    Map<String, LocalChange> changeByPath = new HashMap<>();
    for (LocalChange change : localChanges) {
      changeByPath.put(change.path(), change);
    }
    // Directories that must exist in the result because the user keeps something inside them,
    // mapped to the kept paths (for the conflict message when the new image has a file there).
    Map<String, List<String>> userPathsInside = new HashMap<>();
    for (LocalChange change : localChanges) {
      if (change.kind() != LocalChange.Kind.DELETED) {
        for (String dir = parent(change.path()); dir != null; dir = parent(dir)) {
          userPathsInside.computeIfAbsent(dir, d -> new ArrayList<>()).add(change.path());
        }
      }
    }

    SortedSet<String> paths = new TreeSet<>(EtcTree::compareRelativePaths);
    paths.addAll(old.entries().keySet());
    paths.addAll(current.entries().keySet());
    paths.addAll(fresh.entries().keySet());

    SortedMap<String, EtcMergePlan.PlannedEntry> merged =
        new TreeMap<>(EtcTree::compareRelativePaths);
    // Paths with a conflict, so that nothing inside them is reported a second time.
    Set<String> conflicted = new TreeSet<>();
    List<String> conflicts = new ArrayList<>();
    for (String path : paths) {
      String parent = parent(path);
      if (parent != null) {
        EtcMergePlan.PlannedEntry parentEntry = merged.get(parent);
        if (conflicted.contains(parent)) {
          conflicted.add(path);
          continue;
        }
        if (parentEntry == null || !parentEntry.source().isDirectory()) {
          // Deleted by the user, removed by the image, or replaced by a leaf. The user's
          // changes below a leaf were reported as a conflict at the directory.
          continue;
        }
      }
      EtcEntry newEntry = fresh.get(path);
      EtcEntry currentEntry = current.get(path);
      LocalChange change = changeByPath.get(path);
      String conflict = null;
      EtcMergePlan.PlannedEntry decided = null;
      if (change == null) {
        List<String> inside = userPathsInside.get(path);
        if (inside == null) {
          if (newEntry != null) {
            decided = new EtcMergePlan.PlannedEntry(path, newEntry, EtcMergePlan.Reason.NEW_IMAGE);
          }
        } else if (newEntry == null) {
          decided = new EtcMergePlan.PlannedEntry(
              path, currentEntry, EtcMergePlan.Reason.HOLDS_USER_CHANGES);
        } else if (newEntry.isDirectory()) {
          decided = new EtcMergePlan.PlannedEntry(path, newEntry, EtcMergePlan.Reason.NEW_IMAGE);
        } else {
          conflict = directoryReplacedUnderChanges(path, newEntry, inside);
        }
      } else if (change.kind() != LocalChange.Kind.DELETED) {
        conflict = usersVersionAgainstNew(change, currentEntry, newEntry);
        if (conflict == null) {
          EtcMergePlan.Reason reason = change.kind() == LocalChange.Kind.ADDED
              ? EtcMergePlan.Reason.USER_ADDED
              : EtcMergePlan.Reason.USER_MODIFIED;
          decided = new EtcMergePlan.PlannedEntry(path, currentEntry, reason);
        }
      }
      if (conflict == null && decided != null
          && decided.source().type() == EtcEntryType.SOCKET) {
        conflict = EtcEntry.displayPath(path) + ": a socket cannot be copied into the new /etc;"
            + " to resolve, remove it (rm " + EtcEntry.displayPath(path) + ") and retry";
      }
      if (conflict != null) {
        conflicts.add(conflict);
        conflicted.add(path);
      } else if (decided != null) {
        merged.put(path, decided);
      }
    }
    if (!conflicts.isEmpty()) {
      throw new EtcMergeConflict(conflicts);
    }
    return new EtcMergePlan(new ArrayList<>(merged.values()), localChanges);
  }

  /**
   * Writes the merged /etc of {@code plan} into {@code target}, which must not exist or be an
   * empty directory. Content is read from the source trees now, so plan right before applying.
   * On failure {@code target} is left incomplete; the caller removes it.
   */
  public void apply(EtcMergePlan plan, Path target) throws IOException {
    new EtcTreeWriter(target).write(plan.entries());
  }

  /** The conflict for a path the user changed or added, or null when the user's version fits. */
  private static String usersVersionAgainstNew(
      LocalChange change, EtcEntry currentEntry, EtcEntry newEntry) {
    if (newEntry == null || currentEntry.isDirectory() == newEntry.isDirectory()) {
      return null;
    }
    String shown = EtcEntry.displayPath(change.path());
    String did = change.kind() == LocalChange.Kind.ADDED ? "you added" : "you changed";
    String restore = change.kind() == LocalChange.Kind.ADDED
        ? ""
        : " (or restore the image's version from /usr/etc/" + change.path() + ")";
    if (currentEntry.isDirectory()) {
      return shown + ": " + did + " this directory, but the new image has a "
          + newEntry.type().label() + " here; to resolve, move your directory aside (mv "
          + shown + " " + shown + ".local)" + restore
          + ", switch, then re-apply what still applies";
    }
    return shown + ": " + did + " this " + currentEntry.type().label()
        + ", but the new image has a directory here; to resolve, move your "
        + currentEntry.type().label() + " aside (mv " + shown + " " + shown + ".local)" + restore
        + ", switch, then re-apply your change inside the new directory";
  }

  private static String directoryReplacedUnderChanges(
      String path, EtcEntry newEntry, List<String> inside) {
    String shown = EtcEntry.displayPath(path);
    List<String> named = inside.stream().limit(5).map(EtcEntry::displayPath).toList();
    String more = inside.size() > named.size()
        ? " and " + (inside.size() - named.size()) + " more"
        : "";
    return shown + ": the new image replaces this directory with a " + newEntry.type().label()
        + ", but you changed or added " + String.join(", ", named) + more
        + " inside it; to resolve, move those aside or restore them from /usr/etc/" + path
        + ", switch, then re-apply what still applies";
  }

  /** The parent's relative path; "" for a top-level entry; null for the root itself. */
  static String parent(String path) {
    if (path.isEmpty()) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
