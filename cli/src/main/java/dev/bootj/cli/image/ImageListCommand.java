package dev.bootj.cli.image;

import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.store.ImageRecord;
import dev.bootj.oci.store.ImageRecords;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bootj image list}. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = "List the images in the local store, with their digests and sizes.")
final class ImageListCommand extends StoreCommand {

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    List<ImageRecord> records = ImageRecords.of(openStore()).all();
    if (output.json()) {
      Json.print(out(), ImageReports.Listed.of(records));
      return 0;
    }
    out().printf("%-50s %-19s %10s  %s%n", "REFERENCE", "DIGEST", "SIZE", "PULLED");
    for (ImageRecord r : records) {
      out().printf("%-50s %-19s %10s  %s%n", r.reference(), "sha256:" + r.manifestDigest().shortHex(),
          ByteSize.format(r.manifest().layerBytes()), r.pulledAt());
    }
    out().flush();
    return 0;
  }
}
