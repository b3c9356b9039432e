package dev.bootj.cli.container;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bootj container}: commands that run inside an OS image while it is being built. */
@Command(
    name = "container",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Commands for a Containerfile's RUN steps, run inside the OS image being built.",
      "",
      "An image that carries bootj (its distribution archive unpacked at /) can check itself:",
      "  RUN bootj container lint"
    },
    subcommands = {ContainerLintCommand.class})
public final class ContainerCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
