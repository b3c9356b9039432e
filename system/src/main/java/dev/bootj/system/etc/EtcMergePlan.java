package dev.bootj.system.etc;

import java.util.List;
import java.util.Objects;

/**
 * What {@link EtcMerge#apply} will write: every entry of the merged /etc, sorted by path (the root
 * "" first, a directory before its contents), each with the entry it is copied from. Also the
 * user's local changes that the plan was decided from, for `bootj config-diff` and for logs.
 *
 * @param entries the merged tree, one entry per path
 * @param localChanges the user's changes (/etc against the old pristine /usr/etc), sorted by path
 */
public record EtcMergePlan(List<PlannedEntry> entries, List<LocalChange> localChanges) {

  /** Why a path of the merged tree has the version it has. */
  public enum Reason {
    /** The user did not touch it: the new image's version. */
    NEW_IMAGE,
    /** The user changed it: the user's version, whatever the new image has. */
    USER_MODIFIED,
    /** The user created it: carried over. */
    USER_ADDED,
    /**
     * A directory the user did not touch and the new image no longer has, kept (as it is in
     * /etc) because the user changed or added something inside it.
     */
    HOLDS_USER_CHANGES
  }

  /**
   * One path of the merged tree.
   *
   * @param source the entry whose content and metadata are copied: from the machine's /etc for
   *     the user's versions, from the new image's /etc otherwise
   */
  public record PlannedEntry(String path, EtcEntry source, Reason reason) {
    public PlannedEntry {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public EtcMergePlan {
    entries = List.copyOf(entries);
    localChanges = List.copyOf(localChanges);
  }

  /** The planned entry at a relative path, or null when the merged tree has none. */
  public PlannedEntry entry(String path) {
    for (PlannedEntry entry : entries) {
      if (entry.path().equals(path)) {
        return entry;
      }
    }
    return null;
  }
}
