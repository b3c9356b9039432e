package dev.bootj.system.etc;

import dev.bootj.common.BootjException;
import java.util.List;

/**
 * The three-way merge of /etc found paths its rules cannot settle. Thrown by
 * {@link EtcMerge#plan} before anything is written. The message lists every conflict, one per
 * line; each line names the path and says how to resolve it.
 */
public final class EtcMergeConflict extends BootjException {

  private final List<String> conflicts;

  public EtcMergeConflict(List<String> conflicts) {
    super(Kind.SYSTEM, message(conflicts));
    this.conflicts = List.copyOf(conflicts);
  }

  /** One line per conflict, sorted by path. */
  public List<String> conflicts() {
    return conflicts;
  }

  private static String message(List<String> conflicts) {
    String heading = conflicts.size() == 1
        ? "cannot merge /etc into the new image: 1 conflict; nothing was changed"
        : "cannot merge /etc into the new image: " + conflicts.size()
            + " conflicts; nothing was changed";
    return heading + "\n" + String.join("\n", conflicts);
  }
}
