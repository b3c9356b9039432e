package dev.bootj.cli.install;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.PullPolicyOption;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.cli.output.ProgressPrinter;
import dev.bootj.common.files.StagingArea;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.system.install.InstallConfiguration;
import dev.bootj.system.install.InstallConfigurationReader;
import dev.bootj.system.install.InstallConfigurationReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bootj install print-configuration}. */
@Command(
    name = "print-configuration",
    mixinStandardHelpOptions = true,
    description = {
      "Print the install configuration an OS image carries.",
      "",
      "An image may set defaults for 'bootj install to-disk' in /usr/lib/bootj/install.d/*.toml. The files"
          + " are read in lexical order of their names, each overriding the ones before it key by key, except"
          + " kargs, which add up. This prints the merged [install] table, each key followed by the files it"
          + " came from; the text is itself a valid install.d file. Options given to install to-disk win over"
          + " these values.",
      "",
      "Keys (all optional, under [install]): filesystem (\"ext4\" or \"xfs\"); slot-size and esp-size (a"
          + " size such as \"6G\" or \"512M\", or a number of bytes; esp-size at least 34M); kargs (a list of"
          + " strings, added after the image's kargs.d); target-image (the registry reference the machine"
          + " follows); enforce-container-sigpolicy (true or false). Any other key or table, a value of the"
          + " wrong type, a file that is not TOML or a symbolic link is an error naming the file and the key.",
      "",
      "The image is pulled into the store (only the layers it lacks, under the signature policy). Whether it"
          + " has install.d files is read from its layers; one that has them is unpacked into a temporary"
          + " directory (removed afterwards) and read as an install reads it. Needs no root."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  bootj install print-configuration --image registry.example/os:1",
      "  bootj install print-configuration --image oci:/srv/os:1 --json | jq .install"
    })
public final class InstallPrintConfigurationCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--image", paramLabel = "IMAGE", required = true,
      description = "The OS image to read (see 'bootj image --help' for the forms).")
  String image;

  @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
      description = "missing: use the stored image if this reference was pulled before (default);"
          + " always: resolve the reference again; never: only the store.")
  String pull;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(image);
    PrintWriter err = spec.commandLine().getErr();
    InstallConfigurationReader.Result result;
    ProgressPrinter printer = output.progressPrinter(err);
    try {
      result = new InstallConfigurationReader(StoreOptions.of(spec).open(), access.toPullOptions(),
          output.progress(err), StagingArea.defaultParent(), output.steps(err))
          .read(reference, PullPolicyOption.parse(pull));
    } finally {
      if (printer != null) {
        printer.close();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Json.print(out, InstallConfigurationReport.of(result));
      return 0;
    }
    out.printf("# %s (%s)%n", result.image().reference(), result.image().manifestDigest());
    if (result.files().isEmpty()) {
      out.printf("# no %s/*.toml in the image: install to-disk uses its own defaults%n", InstallConfiguration.DIRECTORY);
    } else {
      out.printf("# read in this order: %s%n", String.join(", ", result.files()));
    }
    out.print(result.configuration().toToml());
    out.flush();
    return 0;
  }
}
