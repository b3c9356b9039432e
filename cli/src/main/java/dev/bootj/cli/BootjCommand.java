package dev.bootj.cli;

import dev.bootj.cli.config.ConfigDiffCommand;
import dev.bootj.cli.container.ContainerCommand;
import dev.bootj.cli.image.ImageCommand;
import dev.bootj.cli.install.InstallCommand;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.status.StatusCommand;
import dev.bootj.cli.update.AutoUpdateCommand;
import dev.bootj.cli.update.ResetCommand;
import dev.bootj.cli.update.RollbackCommand;
import dev.bootj.cli.update.SwitchCommand;
import dev.bootj.cli.update.UpgradeCommand;
import java.nio.file.Files;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code bootj}: the top of the command tree, holding the options every command accepts. */
@Command(
    name = "bootj",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Run Linux machines from OCI container images.",
      "",
      "An operating system is shipped as an ordinary container image: a Linux root with a kernel,"
          + " an initramfs and systemd, built from a Containerfile and pushed to any registry."
          + " bootj pulls such images into a local content-addressed store, verifies every byte"
          + " against its digest and unpacks them exactly as the OCI image specification says."
    },
    subcommands = {ImageCommand.class, InstallCommand.class, SwitchCommand.class, UpgradeCommand.class,
        RollbackCommand.class, ResetCommand.class, AutoUpdateCommand.class, StatusCommand.class,
        ConfigDiffCommand.class, ContainerCommand.class,
        AutoComplete.GenerateCompletion.class},
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  BOOTJ_STORE          the image store, when --store is not given",
      "  REGISTRY_AUTH_FILE   registry credentials (auth.json), as podman reads it",
      "",
      "Files:",
      "  /var/lib/bootj/store                the image store of root",
      "  ~/.local/share/bootj/store          the image store of other users",
      "",
      "Run 'bootj COMMAND --help' for a command's own manual."
    },
    exitCodeListHeading = "%nExit status:%n")
public final class BootjCommand implements Runnable {

  @Spec CommandSpec spec;

  @Mixin(name = StoreOptions.MIXIN_NAME) StoreOptions store;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "On failure, print the full stack trace as well as the message.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static boolean isVerbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
