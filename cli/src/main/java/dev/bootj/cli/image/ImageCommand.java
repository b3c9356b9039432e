package dev.bootj.cli.image;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bootj image}: the local image store. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Manage OS images in the local store, and sign and verify them.",
      "",
      "IMAGE is one of:",
      "  [docker://][REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST]   an image in a registry",
      "  oci:DIR[:TAG]                                           an OCI image layout directory",
      "  oci-archive:FILE[:TAG]                                  a tar archive of an OCI layout",
      "Short names are completed as docker does: debian means docker.io/library/debian:latest."
    },
    subcommands = {
      ImagePullCommand.class,
      ImageInspectCommand.class,
      ImageDiffCommand.class,
      ImageUnpackCommand.class,
      ImageListCommand.class,
      ImageRemoveCommand.class,
      ImagePruneCommand.class,
      GenerateKeyCommand.class,
      ImageSignCommand.class,
      ImageVerifyCommand.class
    })
public final class ImageCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
