package dev.bootj.oci.tree;

import dev.bootj.oci.unpack.LayerListing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What changes between two images' files, in the shape of {@code podman image diff IMAGE BASE}:
 * the paths (absolute) the image adds, changes or deletes relative to the base, in tree order
 * (parents before children, siblings by name). An added directory lists everything below it; a
 * deleted one is listed alone; every directory above a change is itself changed (the root
 * excepted). {@link TreeNode#differsFrom} says what counts as a change of one path.
 *
 * @param changedBytes the content bytes of the regular files added or changed: what writing the
 *     difference onto the base's files costs
 */
public record ImageDiff(List<Change> changes, long changedBytes) {

  /** The letters podman prints. */
  public enum Kind {
    ADDED("A"),
    CHANGED("C"),
    DELETED("D");

    private final String letter;

    Kind(String letter) {
      this.letter = letter;
    }

    public String letter() {
      return letter;
    }
  }

  public record Change(Kind kind, String path) {}

  /** Parents before children, siblings by name: the order of a walk of the tree. */
  static final Comparator<String> TREE_ORDER = (a, b) -> {
    String[] x = a.split("/");
    String[] y = b.split("/");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  };

  public ImageDiff {
    changes = List.copyOf(changes);
  }

  /** What {@code image} adds, changes and deletes relative to {@code base}. */
  public static ImageDiff between(ImageTree image, ImageTree base) {
    Collector collector = new Collector();
    collector.compareChildren("", image.root, base.root);
    collector.changes.sort(Comparator.comparing(Change::path, TREE_ORDER));
    return new ImageDiff(collector.changes, collector.bytes);
  }

  public List<String> added() {
    return paths(Kind.ADDED);
  }

  public List<String> changed() {
    return paths(Kind.CHANGED);
  }

  public List<String> deleted() {
    return paths(Kind.DELETED);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  private List<String> paths(Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).map(Change::path).toList();
  }

  private static final class Collector {

    final List<Change> changes = new ArrayList<>();
    long bytes;

    /** Whether anything below {@code path} differs. */
    boolean compareChildren(String path, TreeNode image, TreeNode base) {
      TreeSet<String> names = new TreeSet<>();
      if (image.isDirectory()) {
        names.addAll(image.children.keySet());
      }
      if (base.isDirectory()) {
        names.addAll(base.children.keySet());
      }
      boolean any = false;
      for (String name : names) {
        String childPath = path + "/" + name;
        TreeNode mine = image.isDirectory() ? image.children.get(name) : null;
        TreeNode theirs = base.isDirectory() ? base.children.get(name) : null;
        if (theirs == null) {
          addAll(childPath, mine);
          any = true;
        } else if (mine == null) {
          changes.add(new Change(Kind.DELETED, childPath));
          any = true;
        } else {
          boolean below = compareChildren(childPath, mine, theirs);
          boolean itself = mine.differsFrom(theirs);
          if (itself || below) {
            changes.add(new Change(Kind.CHANGED, childPath));
            any = true;
          }
          if (itself && mine.type == LayerListing.Type.FILE) {
            bytes += mine.size;
          }
        }
      }
      return any;
    }

    private void addAll(String path, TreeNode node) {
      changes.add(new Change(Kind.ADDED, path));
      if (node.type == LayerListing.Type.FILE) {
        bytes += node.size;
      }
      if (node.isDirectory()) {
        for (var child : node.children.entrySet()) {
          addAll(path + "/" + child.getKey(), child.getValue());
        }
      }
    }
  }
}
