package dev.bootj.cli.image;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.ImagePuller;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.PulledImage;
import dev.bootj.oci.reference.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bootj image pull}. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch an image into the local store.",
      "",
      "The reference is resolved again (a tag may have moved); the config and every layer the store"
          + " does not hold yet are downloaded, several at a time, and each is checked against its"
          + " SHA-256 digest before it is kept. Layers already in the store are never downloaded again."
          + " From a multi-platform image the one for this machine (or --platform) is taken."
    })
final class ImagePullCommand extends StoreCommand {

  @Parameters(paramLabel = "IMAGE", description = "The image to pull (see 'bootj image --help' for the forms).")
  String image;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(image);
    PulledImage pulled;
    ProgressPrinter printer = output.progressPrinter(err());
    try {
      pulled = new ImagePuller(openStore(), access.toPullOptions(), output.progress(err()))
          .pull(reference, PullPolicy.ALWAYS);
    } finally {
      if (printer != null) {
        printer.close();
      }
    }
    if (output.json()) {
      Json.print(out(), ImageReports.Pulled.of(pulled));
    } else {
      out().printf("Pulled %s%n  digest %s%n  %d layer(s), %s; downloaded %d layer(s), %s%n",
          pulled.reference(), pulled.manifestDigest(), pulled.manifest().layers().size(),
          ByteSize.format(pulled.manifest().layerBytes()), pulled.layersDownloaded(), ByteSize.format(pulled.downloadedBytes()));
    }
    return 0;
  }
}
