package dev.bootj.system.update;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.time.Duration;

/** {@code --apply}: an orderly reboot through systemd, so services stop and filesystems unmount cleanly. */
public final class Reboot {

  private Reboot() {}

  /**
   * Queues the same reboot and returns at once ({@code --no-block}): for a service, whose own
   * processes the shutdown stops; waiting, {@code systemctl} was killed with them (exit 143) and
   * a reboot under way looked like a failure.
   */
  public static void request() throws IOException {
    new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), Tool.SYSTEMCTL.program(), "reboot",
        "--no-block"));
  }

  public static void now() throws IOException {
    new CommandRunner().run(CommandRunner.Command.of(Duration.ofMinutes(1), Tool.SYSTEMCTL.program(), "reboot"));
  }
}
