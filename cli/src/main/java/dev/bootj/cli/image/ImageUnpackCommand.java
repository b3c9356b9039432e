package dev.bootj.cli.image;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.PullPolicyOption;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.cli.output.NoticePrinter;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.ImageUnpacker;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.UnpackedImage;
import dev.bootj.oci.reference.ImageReference;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootj image unpack}. */
@Command(
    name = "unpack",
    mixinStandardHelpOptions = true,
    description = {
      "Unpack an image's root filesystem into a directory.",
      "",
      "DIR must be empty or absent. Layers are applied in order exactly as the OCI image spec says:"
          + " whiteouts and opaque directories, hard links, symlinks, numeric owners, full modes"
          + " (setuid, setgid, sticky), extended attributes such as security.capability, device"
          + " nodes, FIFOs and timestamps. Nothing is ever written outside DIR, whatever a layer"
          + " holds; a layer that tries is refused.",
      "",
      "Layers missing from the store are downloaded, verified, stored and unpacked in one pass."
          + " If anything fails, DIR is emptied again.",
      "",
      "Run as root to restore owners, device nodes and security.* attributes; otherwise bootj"
          + " says so once and unpacks what an unprivileged user can (like umoci --rootless)."
    })
final class ImageUnpackCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to unpack.")
  String image;

  @Parameters(index = "1", paramLabel = "DIR", description = "Empty or new directory to unpack into.")
  Path target;

  @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
      description = "missing: use the stored image if this reference was pulled before (default);"
          + " always: resolve the reference again; never: fail unless it is stored.")
  String pull;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(image);
    UnpackedImage result;
    ProgressPrinter printer = output.progressPrinter(err());
    ProgressListener listener = printer != null ? printer : new NoticePrinter(err(), true);
    try {
      result = new ImageUnpacker(openStore(), access.toPullOptions(), listener)
          .unpack(reference, target, PullPolicyOption.parse(pull));
    } finally {
      if (printer != null) {
        printer.close();
      }
    }
    if (output.json()) {
      Json.print(out(), ImageReports.Unpacked.of(result));
    } else {
      out().printf("Unpacked %s%n  digest %s%n  into %s: %d entries, %s; downloaded %s%n",
          result.image().reference(), result.image().manifestDigest(), result.root(), result.entries(),
          ByteSize.format(result.unpackedBytes()), ByteSize.format(result.image().downloadedBytes()));
    }
    return 0;
  }
}
