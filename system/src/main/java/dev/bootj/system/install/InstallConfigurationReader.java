package dev.bootj.system.install;

import dev.bootj.common.BootjException;
import dev.bootj.oci.ImagePuller;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.StoredListings;
import dev.bootj.oci.tree.TreeNode;
import dev.bootj.oci.tree.TreePatcher;
import dev.bootj.oci.unpack.LayerListing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code bootj install print-configuration}: the install configuration an image carries, read
 * from its layers without unpacking it. The image is pulled into the store like any other (only
 * missing layers; checked against the signature policy before any layer is stored); the layers'
 * listings ({@link StoredListings}, cached in the store) give the image's tree, in which
 * install.d is found by the same rules as in an unpacked root ({@link InstallConfiguration}: no
 * symbolic link followed); then only the layers that hold its files are read, and only those
 * files' bytes kept.
 */
public final class InstallConfigurationReader {

  /**
   * The image read and the configuration it carries.
   *
   * @param files the install.d files read, in the order they were merged (some may set nothing)
   */
  public record Result(PulledImage image, List<String> files, InstallConfiguration configuration) {}

  private final BlobStore store;
  private final PullOptions options;
  private final ProgressListener progress;

  public InstallConfigurationReader(BlobStore store, PullOptions options, ProgressListener progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
  }

  public Result read(ImageReference reference, PullPolicy policy) throws IOException {
    PulledImage image = new ImagePuller(store, options, progress).pull(reference, policy);
    try (StoreLock lock = store.lock(false)) {
      List<Descriptor> layers = image.manifest().layers();
      StoredListings listings = new StoredListings(store);
      ImageTree tree = listings.tree(layers);
      if (tree == null) {
        throw new BootjException(BootjException.Kind.SYSTEM, "a layer of " + reference + " vanished from the store "
            + store.root() + " while it was read (a concurrent 'bootj image prune'?); run this again");
      }
      SortedMap<String, String> files = readFiles(tree, listings.opener(layers));
      return new Result(image, List.copyOf(files.keySet()), InstallConfiguration.fromFiles(files));
    }
  }

  /** The install.d files of {@code tree} by image path, their content read from the layers that hold it. */
  static SortedMap<String, String> readFiles(ImageTree tree, TreePatcher.LayerOpener layers) throws IOException {
    SortedMap<String, String> files = new TreeMap<>();
    TreeNode directory = tree.root();
    StringBuilder imagePath = new StringBuilder();
    for (String component : InstallConfiguration.DIRECTORY.substring(1).split("/")) {
      directory = directory.children().get(component);
      imagePath.append('/').append(component);
      if (directory == null) {
        return files;
      }
      if (!directory.isDirectory()) {
        throw InstallConfiguration.notReadable(imagePath.toString(),
            directory.type() == LayerListing.Type.SYMLINK ? "is a symbolic link" : "is not a directory");
      }
    }
    // Which entry of which layer holds each file (a hard link's node is its target's entry).
    Map<Integer, Map<Integer, String>> wanted = new TreeMap<>();
    for (Map.Entry<String, TreeNode> child : directory.children().entrySet()) {
      if (!InstallConfiguration.isConfigurationFile(child.getKey())) {
        continue;
      }
      String path = InstallConfiguration.DIRECTORY + "/" + child.getKey();
      TreeNode file = child.getValue();
      if (!file.isRegularFile()) {
        throw InstallConfiguration.notReadable(path,
            file.type() == LayerListing.Type.SYMLINK ? "is a symbolic link" : "is not a regular file");
      }
      if (file.size() > InstallConfiguration.MAX_FILE_BYTES) {
        throw InstallConfiguration.tooLarge(path, file.size());
      }
      wanted.computeIfAbsent(file.layer(), l -> new HashMap<>()).put(file.ordinal(), path);
    }
    for (Map.Entry<Integer, Map<Integer, String>> layer : wanted.entrySet()) {
      Map<Integer, String> paths = layer.getValue();
      try (InputStream tar = layers.open(layer.getKey())) {
        LayerListing.stream(tar, (ordinal, entry, content) -> {
          String path = paths.get(ordinal);
          if (path != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            content.copyTo(Channels.newChannel(bytes));
            files.put(path, InstallConfiguration.text(path, bytes.toByteArray()));
          }
        });
      }
    }
    return files;
  }
}
