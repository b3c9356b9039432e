package dev.bootj.system.install;

import dev.bootj.common.BootjException;
import dev.bootj.oci.ImagePuller;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.StoreLock;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.StoredListings;
import dev.bootj.oci.tree.TreeNode;
import dev.bootj.common.files.StagingArea;
import dev.bootj.oci.ImageUnpacker;
import dev.bootj.oci.UnpackedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code bootj install print-configuration}: the install configuration an image carries. The
 * image is pulled into the store like any other (only missing layers; checked against the
 * signature policy before any layer is stored); its layers' listings ({@link StoredListings},
 * cached in the store) give the image's tree without unpacking it, and an image without install.d
 * files is answered from that alone.
 *
 * <p>An image that has install.d files is unpacked into a staging directory and read with {@link
 * InstallConfiguration#load}, the very code an install runs. Reading only those files' bytes out
 * of their layers would be enough, but oci's public API has no way to do it: the tar reader is
 * internal to oci ({@code ArchitectureIT} forbids {@code dev.bootj.oci.unpack} outside it), and
 * {@code oci.tree} offers whole-tree patching only. A {@code StoredListings} method that reads one
 * {@link TreeNode}'s content from its layer would remove the unpack.
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
  private final Path stagingParent;
  private final Consumer<String> warnings;

  /**
   * @param stagingParent where an image with install.d files is unpacked, then removed
   * @param warnings the unpacker's warnings (such as owners not kept when not root)
   */
  public InstallConfigurationReader(BlobStore store, PullOptions options, ProgressListener progress,
      Path stagingParent, Consumer<String> warnings) {
    this.store = store;
    this.options = options;
    this.progress = progress;
    this.stagingParent = stagingParent;
    this.warnings = warnings;
  }

  public Result read(ImageReference reference, PullPolicy policy) throws IOException {
    PulledImage image = new ImagePuller(store, options, progress).pull(reference, policy);
    List<String> files;
    try (StoreLock lock = store.lock(false)) {
      ImageTree tree = new StoredListings(store).tree(image.manifest().layers());
      if (tree == null) {
        throw new BootjException(BootjException.Kind.SYSTEM, "a layer of " + reference + " vanished from the store "
            + store.root() + " while it was read (a concurrent 'bootj image prune'?); run this again");
      }
      files = filesIn(tree);
    }
    if (files.isEmpty()) {
      return new Result(image, files, InstallConfiguration.NONE);
    }
    try (StagingArea staging = StagingArea.forTarget(stagingParent, "print-configuration", reference.toString(),
        warnings)) {
      Path root = staging.directory().resolve("root");
      // From the store only: the image just pulled, its layers all there; checked by the policy again.
      UnpackedImage unpacked = new ImageUnpacker(store, options, ProgressListener.NONE)
          .unpack(reference, root, PullPolicy.NEVER);
      return new Result(unpacked.image(), InstallConfiguration.validate(root), InstallConfiguration.load(root));
    }
  }

  /**
   * The image paths of the install.d files {@code tree} holds, in name order; refused as {@link
   * InstallConfiguration#load} refuses them (a symbolic link on the way or as a file).
   */
  static List<String> filesIn(ImageTree tree) throws BootjException {
    List<String> files = new ArrayList<>();
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
            directory.symlinkTarget() != null ? "is a symbolic link" : "is not a directory");
      }
    }
    for (Map.Entry<String, TreeNode> child : directory.children().entrySet()) {
      if (!InstallConfiguration.isConfigurationFile(child.getKey())) {
        continue;
      }
      String path = InstallConfiguration.DIRECTORY + "/" + child.getKey();
      TreeNode file = child.getValue();
      if (!file.isRegularFile()) {
        throw InstallConfiguration.notReadable(path,
            file.symlinkTarget() != null ? "is a symbolic link" : "is not a regular file");
      }
      if (file.size() > InstallConfiguration.MAX_FILE_BYTES) {
        throw InstallConfiguration.tooLarge(path, file.size());
      }
      files.add(path);
    }
    return files;
  }
}
