package dev.bootj.cli.image;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.PullPolicyOption;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.ImageInspector;
import dev.bootj.oci.InspectedImage;
import dev.bootj.oci.reference.ImageReference;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootj image inspect}. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show an image's manifest digest, platform, config and layers.",
      "",
      "Only the manifest and the config are fetched, never the layers. With --pull=never the store's"
          + " record of the image is shown and no registry is contacted.",
      "",
      "The signature policy is not checked, as with skopeo inspect: --signature-policy and"
          + " --registries.d are accepted and ignored ('bootj image verify' checks an image against them)."
    })
final class ImageInspectCommand extends StoreCommand {

  @Parameters(paramLabel = "IMAGE", description = "The image to inspect.")
  String image;

  @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "always",
      description = "always: ask the registry (default); missing: use the store's record if there is one; never: only the store.")
  String pull;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(image);
    InspectedImage inspected = new ImageInspector(openStore(), access.toPullOptions())
        .inspect(reference, PullPolicyOption.parse(pull));
    if (output.json()) {
      Json.print(out(), ImageReports.Inspected.of(inspected));
      return 0;
    }
    PrintWriter o = out();
    o.printf("Reference:  %s%n", inspected.reference());
    o.printf("Digest:     %s%n", inspected.manifestDigest());
    o.printf("Media type: %s%n", inspected.manifest().mediaType());
    o.printf("Platform:   %s%n", inspected.platform() == null ? "(not stated)" : inspected.platform());
    if (inspected.config().created() != null) {
      o.printf("Created:    %s%n", inspected.config().created());
    }
    o.printf("Config:     %s%n", inspected.manifest().config().digest());
    if (!inspected.config().labels().isEmpty()) {
      o.println("Labels:");
      inspected.config().labels().forEach((k, v) -> o.printf("  %s=%s%n", k, v));
    }
    o.printf("Layers:     %d, %s compressed%n", inspected.manifest().layers().size(),
        ByteSize.format(inspected.manifest().layerBytes()));
    inspected.manifest().layers().forEach(l ->
        o.printf("  %s %10s  %s%n", l.digest(), ByteSize.format(l.size()), l.mediaType()));
    o.flush();
    return 0;
  }
}
