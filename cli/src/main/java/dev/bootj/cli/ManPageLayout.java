package dev.bootj.cli;

import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine;

/**
 * Gives every command's --help the sections of a man page (synopsis, description, arguments,
 * options, exit status), set here once instead of in each command's annotation.
 */
final class ManPageLayout {

  private ManPageLayout() {}

  static void apply(CommandLine cli) {
    UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
    usage.synopsisHeading("Usage: ")
        .descriptionHeading("%nDescription:%n")
        .parameterListHeading("%nArguments:%n")
        .optionListHeading("%nOptions:%n")
        .commandListHeading("%nCommands:%n")
        .exitCodeListHeading("%nExit status:%n")
        .exitCodeList(ExitCodes.descriptions());
    cli.getSubcommands().values().forEach(ManPageLayout::apply);
  }
}
