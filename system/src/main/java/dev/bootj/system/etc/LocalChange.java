package dev.bootj.system.etc;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One local change to /etc: a path the user added, modified or deleted relative to the image's
 * pristine copy ({@code /usr/etc}).
 *
 * @param path relative to /etc, '/'-separated; "" is /etc itself
 * @param differences what differs, for {@link Kind#MODIFIED}; empty otherwise
 */
public record LocalChange(Kind kind, String path, Set<EtcEntry.Difference> differences) {

  public enum Kind {
    ADDED("added"),
    MODIFIED("modified"),
    DELETED("deleted");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public LocalChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(path, "path");
    differences = differences.isEmpty()
        ? Collections.emptySet()
        : Collections.unmodifiableSet(EnumSet.copyOf(differences));
  }

  public String displayPath() {
    return EtcEntry.displayPath(path);
  }

  /** One line for `bootj config-diff`, e.g. "modified /etc/ssh/sshd_config (content, mode)". */
  public String describe() {
    String line = kind.label() + " " + displayPath();
    if (differences.isEmpty()) {
      return line;
    }
    return line + differences.stream()
        .map(EtcEntry.Difference::label)
        .collect(Collectors.joining(", ", " (", ")"));
  }
}
