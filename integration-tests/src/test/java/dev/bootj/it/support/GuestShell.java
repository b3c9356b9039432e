package dev.bootj.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command server for test images, so a test can run shell commands on a booted machine and
 * read their exit code and output ({@link RunningMachine} is the host end).
 *
 * <p>It serves the second serial port, /dev/ttyS1, because the kernel console and the boot
 * messages go to the first: nothing else writes into its answers once Linux runs (the UEFI
 * firmware does print its own screen on every serial port while it boots, which the host
 * skips). The line is raw, without echo, and every frame is one line whose variable parts are
 * numbers or base64, so no command or output can break the framing:
 *
 * <pre>
 * guest, once per start:  READY BOOT_ID                          (/proc/sys/kernel/random/boot_id)
 * host:                   ID SECONDS BASE64(command)
 * guest:                  DONE ID EXIT_CODE BASE64(stdout and stderr)
 * </pre>
 *
 * <p>The command runs with {@code sh -c} as root, stdin from /dev/null, under {@code timeout}
 * SECONDS (then exit code 124), so a hung command cannot take the shell with it. The unit
 * starts once /var and /efi are mounted and /usr is read-only, like {@link BootProbe}, and
 * restarts whenever it stops. Without a second serial port (as in {@link
 * QemuMachine#bootUntil}) it exits with 69 and stays stopped.
 */
public final class GuestShell {

  public static final String UNIT_NAME = "bootj-test-shell.service";
  static final String SCRIPT_PATH = "/usr/local/sbin/bootj-test-shell";

  /** What a command did. */
  public record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + output;
    }
  }

  /** A line from the guest. */
  sealed interface Frame permits Ready, Done {}

  /** The shell has (re)started in the boot {@code bootId}. */
  record Ready(String bootId) implements Frame {}

  /** Command {@code id} finished. */
  record Done(long id, Result result) implements Frame {}

  private static final String SCRIPT = String.join("\n",
      "#!/bin/sh",
      "# bootj integration tests: runs commands sent on /dev/ttyS1 (see GuestShell.java).",
      "tty=/dev/ttyS1",
      "# A port without a UART behind it reads as type 0; nothing to serve then (unit: no restart).",
      "if [ \"$(cat /sys/class/tty/ttyS1/type 2>/dev/null || echo 0)\" = 0 ]; then",
      "  echo \"no serial port behind $tty\" >&2",
      "  exit 69",
      "fi",
      "# clocal first, so that opening the port never waits for a carrier.",
      "stty -F \"$tty\" raw -echo clocal 115200 || exit 1",
      "exec 0<>\"$tty\" 1>&0",
      "stty raw -echo clocal 115200 || exit 1",
      "out=$(mktemp /run/bootj-test-shell.XXXXXX) || exit 1",
      "# The newline ends whatever the firmware left on the line.",
      "printf '\\nREADY %s\\n' \"$(cat /proc/sys/kernel/random/boot_id)\"",
      "while IFS=' ' read -r id limit payload; do",
      "  case $id in ''|*[!0-9]*) echo \"bad frame: $id\" >&2; continue ;; esac",
      "  case $limit in ''|*[!0-9]*) echo \"bad frame: $id $limit\" >&2; continue ;; esac",
      "  if script=$(printf '%s' \"$payload\" | base64 -d); then",
      "    timeout -k 5 \"$limit\" sh -c \"$script\" </dev/null >\"$out\" 2>&1",
      "    rc=$?",
      "  else",
      "    echo 'bootj-test-shell: the command is not valid base64' >\"$out\"",
      "    rc=255",
      "  fi",
      "  printf 'DONE %s %s ' \"$id\" \"$rc\"",
      "  base64 -w0 <\"$out\"",
      "  printf '\\n'",
      "done",
      "");

  private static final String UNIT = String.join("\n",
      "[Unit]",
      "Description=bootj test shell on /dev/ttyS1 (integration tests only)",
      "After=local-fs.target bootj-readonly-usr.service",
      "RequiresMountsFor=/var /efi",
      "StartLimitIntervalSec=0",
      "[Service]",
      "ExecStart=" + SCRIPT_PATH,
      "Restart=always",
      "RestartSec=1",
      "RestartPreventExitStatus=69",
      "Environment=HOME=/root",
      "[Install]",
      "WantedBy=multi-user.target",
      "");

  private static final Pattern READY = Pattern.compile(
      "READY ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\s*$");
  private static final Pattern DONE = Pattern.compile("DONE ([0-9]+) ([0-9]+) ([A-Za-z0-9+/]*={0,2})\\s*$");

  private GuestShell() {}

  /** The shell's script and unit, for a test image ({@link TestLayer#plus} adds more to the same layer). */
  public static TestLayer layer() {
    return new TestLayer(List.of(
        new TestLayer.LayerFile(SCRIPT_PATH, SCRIPT, true),
        new TestLayer.LayerFile("/etc/systemd/system/" + UNIT_NAME, UNIT, false)),
        List.of(UNIT_NAME));
  }

  /** Writes a Containerfile layer adding the shell on top of {@code baseImage}, with its files, into {@code context}. */
  public static Path writeImageContext(Path context, String baseImage) throws IOException {
    return layer().writeImageContext(context, baseImage);
  }

  /** The line asking for {@code command} to run as number {@code id}, for at most {@code limit}. */
  static String request(long id, Duration limit, String command) {
    long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
    return id + " " + seconds + " " + Base64.getEncoder().encodeToString(command.getBytes(StandardCharsets.UTF_8)) + "\n";
  }

  /**
   * The frame a line from the guest carries, if any. Frames are found at the end of a line,
   * because the firmware's screen output may precede the first one on the same line.
   */
  static Optional<Frame> parse(String line) {
    Matcher done = DONE.matcher(line);
    if (done.find()) {
      try {
        String output = new String(Base64.getDecoder().decode(done.group(3)), StandardCharsets.UTF_8);
        return Optional.of(new Done(Long.parseLong(done.group(1)), new Result(Integer.parseInt(done.group(2)), output)));
      } catch (IllegalArgumentException e) {
        return Optional.empty(); // a garbled line: its command times out rather than the reader dying
      }
    }
    Matcher ready = READY.matcher(line);
    if (ready.find()) {
      return Optional.of(new Ready(ready.group(1)));
    }
    return Optional.empty();
  }
}
