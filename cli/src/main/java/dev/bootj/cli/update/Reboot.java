package dev.bootj.cli.update;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/** {@code --apply}: an orderly reboot through systemd, so services stop and filesystems unmount cleanly. */
final class Reboot {

  private Reboot() {}

  static void now(PrintWriter err) throws IOException {
    err.println("Rebooting");
    err.flush();
    new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), Tool.SYSTEMCTL.program(), "reboot"));
  }
}
