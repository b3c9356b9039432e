package dev.bootj.cli.image;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.ImageRecords;
import dev.bootj.oci.store.StoreLock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bootj image rm}. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = {
      "Forget images in the local store.",
      "",
      "Only the store's record of each reference is removed; run 'bootj image prune' afterwards to"
          + " free the space of layers no other image uses."
    })
final class ImageRemoveCommand extends StoreCommand {

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images to forget, as they were pulled.")
  List<String> images;

  @Override
  public Integer call() throws Exception {
    BlobStore store = openStore();
    try (StoreLock lock = store.lock(false)) {
      for (String image : images) {
        String key = ImageReference.parse(image).toString();
        if (!ImageRecords.of(store).remove(key)) {
          throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "image " + key + " is not in the store; see 'bootj image list'");
        }
        out().println("Removed " + key);
      }
    }
    return 0;
  }
}
