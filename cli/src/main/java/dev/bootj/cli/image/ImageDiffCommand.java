package dev.bootj.cli.image;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.PullPolicyOption;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.ImageDiffer;
import dev.bootj.oci.reference.ImageReference;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootj image diff}. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Show the files an image adds, changes and deletes relative to another image.",
      "",
      "One line per path, as podman image diff prints them: A (added), C (changed) or D (deleted),"
          + " then the path. Without BASE the image is compared with its own layers below the top one,"
          + " so the lines are what its last layer changes. An added directory lists everything under it;"
          + " a deleted one is listed alone; a directory above a change is shown as changed.",
      "",
      "A path changes when its type, mode, owner, device numbers, xattrs or (for a non-directory)"
          + " size, mtime, symlink target or content differ. Podman and Docker compare metadata only;"
          + " bootj also compares each file's SHA-256, so a file rewritten with the same size and mtime"
          + " is not missed.",
      "",
      "Both images are pulled first (only the layers missing from the store, each under the signature"
          + " policy), then read from the store without unpacking anything."
    })
final class ImageDiffCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image whose changes are shown.")
  String image;

  @Parameters(index = "1", arity = "0..1", paramLabel = "BASE",
      description = "The image it is compared with; default: IMAGE without its top layer.")
  String base;

  @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
      description = "missing: use stored images, pull the others (default); always: ask the registry again;"
          + " never: only the store.")
  String pull;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    ImageReference imageReference = ImageReference.parse(image);
    ImageReference baseReference = base == null ? null : ImageReference.parse(base);
    ImageDiffer.Result result;
    ProgressPrinter printer = output.progressPrinter(err());
    try {
      result = new ImageDiffer(openStore(), access.toPullOptions(), output.progress(err()))
          .diff(imageReference, baseReference, PullPolicyOption.parse(pull));
    } finally {
      if (printer != null) {
        printer.close();
      }
    }
    if (output.json()) {
      Json.print(out(), ImageReports.Diffed.of(result));
      return 0;
    }
    PrintWriter o = out();
    result.diff().changes().forEach(c -> o.printf("%s %s%n", c.kind().letter(), c.path()));
    o.flush();
    if (printer != null) {
      err().printf("%d added, %d changed, %d deleted; %s of file content to write%n", result.diff().added().size(),
          result.diff().changed().size(), result.diff().deleted().size(), ByteSize.format(result.diff().changedBytes()));
      err().flush();
    }
    return 0;
  }
}
