package dev.bootj.cli.install;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bootj install}: put an OS image on a machine's disk for the first time. */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Install an OS image onto a disk, ready to boot.",
    subcommands = {InstallToDiskCommand.class, InstallPrintConfigurationCommand.class})
public final class InstallCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
