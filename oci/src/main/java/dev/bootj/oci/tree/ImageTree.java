package dev.bootj.oci.tree;

import dev.bootj.common.files.RootResolver;
import dev.bootj.oci.unpack.InvalidLayerException;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.UnsafeLayerException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files an image unpacks to, computed from its layers' listings without writing anything: the
 * same rules as {@link dev.bootj.oci.unpack.LayerUnpacker}, applied to a tree in memory. Names are
 * resolved chroot-style through the symlinks earlier entries made; {@code .wh.NAME} and
 * {@code .wh..wh..opq} hide what lower layers left and spare what the same layer made; a directory
 * a layer needs but does not list is made as the unpacker makes it (0755, root, inheriting a setgid
 * parent's group and bit); a hard link shares its target's node; "/" entries set the root's
 * metadata. An unpack as root is what it models (owners are kept, device nodes made).
 *
 * <p>Layers are refused for what the unpacker refuses ({@link InvalidLayerException}), so an
 * image whose tree can be computed unpacks, and the other way round.
 */
public final class ImageTree {

  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final String OPAQUE_MARKER = ".wh..wh..opq";

  final TreeNode root = TreeNode.emptyRoot();

  private ImageTree() {}

  /** The tree of layers applied in order, the first being the base. */
  public static ImageTree of(List<List<LayerListing.Entry>> layers) throws InvalidLayerException {
    ImageTree tree = new ImageTree();
    for (int i = 0; i < layers.size(); i++) {
      tree.apply(layers.get(i), i);
    }
    return tree;
  }

  /** The root directory. */
  public TreeNode root() {
    return root;
  }

  /** The node at {@code path} (components, no symlink followed), or null. */
  public TreeNode find(List<String> path) {
    return lookup(path);
  }

  /** How many paths the tree has (hard links counted once per path), the root excluded. */
  public int pathCount() {
    return count(root);
  }

  private static int count(TreeNode directory) {
    int n = 0;
    for (TreeNode child : directory.children.values()) {
      n += 1 + (child.isDirectory() ? count(child) : 0);
    }
    return n;
  }

  private void apply(List<LayerListing.Entry> layer, int layerIndex) throws InvalidLayerException {
    LayerWrites writes = new LayerWrites();
    for (int ordinal = 0; ordinal < layer.size(); ordinal++) {
      LayerListing.Entry entry = layer.get(ordinal);
      List<String> path = entry.path();
      if (path.isEmpty()) {
        if (entry.type() != LayerListing.Type.DIRECTORY) {
          throw new UnsafeLayerException(entry.name(), "would replace the root directory with a non-directory");
        }
        root.takeMetadata(entry);
        continue;
      }
      String name = path.get(path.size() - 1);
      List<String> parent = resolve(path.subList(0, path.size() - 1), entry.name());
      if (name.startsWith(WHITEOUT_PREFIX)) {
        whiteout(parent, name, entry.name(), writes);
        continue;
      }
      TreeNode directory = ensureDirectory(parent, entry.name(), writes);
      List<String> where = child(parent, name);
      TreeNode linked = null;
      if (entry.type() == LayerListing.Type.HARDLINK) {
        List<String> target = hardLinkTarget(entry);
        if (target.equals(where)) {
          continue; // a link to itself
        }
        if (target.size() > where.size() && target.subList(0, where.size()).equals(where)) {
          throw new InvalidLayerException("layer entry '" + entry.name() + "' is a hard link to '"
              + String.join("/", entry.hardLinkTarget()) + "', which is inside the path it replaces");
        }
        linked = lookup(target);
      }
      TreeNode existing = directory.children.get(name);
      if (existing != null && existing.isDirectory() && entry.type() == LayerListing.Type.DIRECTORY) {
        existing.takeMetadata(entry);
      } else {
        directory.children.put(name, linked != null ? linked : TreeNode.of(entry, layerIndex, ordinal));
      }
      writes.created(where);
    }
  }

  /** Resolves directory components chroot-style, following symlinks the tree holds; the result may not exist. */
  private List<String> resolve(List<String> components, String entryName) throws UnsafeLayerException {
    Deque<String> pending = new ArrayDeque<>(components);
    List<String> resolved = new ArrayList<>();
    // The node at each resolved component, null where it does not exist.
    List<TreeNode> nodes = new ArrayList<>();
    TreeNode current = root;
    int hops = 0;
    while (!pending.isEmpty()) {
      String component = pending.pollFirst();
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
          nodes.remove(nodes.size() - 1);
          current = nodes.isEmpty() ? root : nodes.get(nodes.size() - 1);
        }
        continue;
      }
      TreeNode next = current != null && current.isDirectory() ? current.children.get(component) : null;
      if (next != null && next.type == LayerListing.Type.SYMLINK) {
        if (++hops > RootResolver.MAX_LINK_HOPS) {
          throw new UnsafeLayerException(entryName, "goes through more than " + RootResolver.MAX_LINK_HOPS
              + " symbolic links (a loop?)");
        }
        String target = next.symlinkTarget;
        if (target.startsWith("/")) {
          resolved.clear();
          nodes.clear();
          current = root;
        }
        String[] targetComponents = target.split("/");
        for (int i = targetComponents.length - 1; i >= 0; i--) {
          pending.addFirst(targetComponents[i]);
        }
        continue;
      }
      resolved.add(component);
      nodes.add(next);
      current = next;
    }
    return resolved;
  }

  private TreeNode lookup(List<String> path) {
    TreeNode current = root;
    for (String component : path) {
      if (current == null || !current.isDirectory()) {
        return null;
      }
      current = current.children.get(component);
    }
    return current;
  }

  private TreeNode ensureDirectory(List<String> directory, String entryName, LayerWrites writes)
      throws InvalidLayerException {
    TreeNode current = root;
    List<String> walked = new ArrayList<>();
    for (String component : directory) {
      walked.add(component);
      TreeNode next = current.children.get(component);
      if (next == null) {
        boolean setgid = (current.mode & TreeNode.SETGID) != 0;
        next = TreeNode.implied(setgid ? current.gid : 0);
        if (setgid) {
          next.mode |= TreeNode.SETGID;
        }
        current.children.put(component, next);
        writes.created(walked);
      } else if (!next.isDirectory()) {
        throw new InvalidLayerException("layer entry '" + entryName + "' needs '" + String.join("/", walked)
            + "' to be a directory, but it is not");
      }
      current = next;
    }
    return current;
  }

  private List<String> hardLinkTarget(LayerListing.Entry entry) throws InvalidLayerException {
    List<String> components = entry.hardLinkTarget();
    if (components.isEmpty()) {
      throw new UnsafeLayerException(entry.name(), "is a hard link to the root directory");
    }
    List<String> target = child(resolve(components.subList(0, components.size() - 1), entry.name()),
        components.get(components.size() - 1));
    TreeNode node = lookup(target);
    if (node == null) {
      throw new InvalidLayerException("layer entry '" + entry.name() + "' is a hard link to '"
          + String.join("/", components) + "', which does not exist");
    }
    if (node.isDirectory()) {
      throw new InvalidLayerException("layer entry '" + entry.name() + "' is a hard link to the directory '"
          + String.join("/", components) + "'");
    }
    return target;
  }

  private void whiteout(List<String> directory, String marker, String entryName, LayerWrites writes)
      throws InvalidLayerException {
    boolean opaque = marker.equals(OPAQUE_MARKER);
    String hidden = marker.substring(WHITEOUT_PREFIX.length());
    if (!opaque && (hidden.isEmpty() || hidden.equals(".") || hidden.equals(".."))) {
      throw new InvalidLayerException("layer entry '" + entryName + "' is a whiteout for no name");
    }
    TreeNode parent = lookup(directory);
    if (parent == null || !parent.isDirectory()) {
      return;
    }
    if (opaque) {
      removeLowerChildren(directory, parent, writes);
    } else if (parent.children.containsKey(hidden)) {
      removeLower(directory, parent, hidden, writes);
    }
  }

  private static void removeLower(List<String> directory, TreeNode parent, String name, LayerWrites writes) {
    List<String> path = child(directory, name);
    TreeNode node = parent.children.get(name);
    if (!writes.createdOrAncestorOfCreated(path)) {
      parent.children.remove(name);
    } else if (node.isDirectory()) {
      removeLowerChildren(path, node, writes);
    }
  }

  private static void removeLowerChildren(List<String> directory, TreeNode node, LayerWrites writes) {
    for (String name : new ArrayList<>(node.children.keySet())) {
      removeLower(directory, node, name, writes);
    }
  }

  private static List<String> child(List<String> directory, String name) {
    List<String> path = new ArrayList<>(directory.size() + 1);
    path.addAll(directory);
    path.add(name);
    return path;
  }

  /** What one layer wrote: whiteouts in the same layer spare these and their ancestors. */
  private static final class LayerWrites {

    private final Set<String> created = new HashSet<>();
    private final Set<String> ancestors = new HashSet<>();

    void created(List<String> path) {
      created.add(String.join("/", path));
      for (int i = 1; i < path.size(); i++) {
        ancestors.add(String.join("/", path.subList(0, i)));
      }
    }

    boolean createdOrAncestorOfCreated(List<String> path) {
      String key = String.join("/", path);
      return created.contains(key) || ancestors.contains(key);
    }
  }
}
