package dev.bootj.system.update;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.time.Duration;

/** {@code --apply}: an orderly reboot through systemd, so services stop and filesystems unmount cleanly. */
public final class Reboot {

  private Reboot() {}

  public static void now() throws IOException {
    new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), Tool.SYSTEMCTL.program(), "reboot"));
  }
}
