package dev.bootj.cli.image;

import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.store.StorePruner;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bootj image prune}. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Remove blobs that no image in the store needs.",
      "",
      "Keeps the config and layers of every image 'bootj image list' shows, and removes everything"
          + " else, including partial downloads of interrupted pulls. Refuses to run while another"
          + " bootj is using the store."
    })
final class ImagePruneCommand extends StoreCommand {

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    StorePruner.Result result = new StorePruner(openStore()).prune(Set.of());
    if (output.json()) {
      Json.print(out(), ImageReports.Pruned.of(result));
    } else {
      out().printf("Removed %d blob(s), freed %s; kept %d%n", result.blobsRemoved(),
          ByteSize.format(result.bytesFreed()), result.blobsKept());
    }
    return 0;
  }
}
