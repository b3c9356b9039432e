package dev.bootj.system.disk;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's mke2fs (e2fsprogs) and what its version means for bootj:
 *
 * <ul>
 *   <li>{@code -d} (fill the filesystem from a directory), which bootj's ext4 writing rests on,
 *       came in 1.43;</li>
 *   <li>the {@code orphan_file} feature came in 1.47, which upstream turns on by default for ext4.
 *       Kernels before 5.15 refuse to mount a filesystem that has it, so an image with an older
 *       kernel would not boot; bootj turns it off whenever this mke2fs knows it.</li>
 * </ul>
 */
public record Mke2fs(String version, int major, int minor) {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  // "mke2fs 1.47.0 (5-Feb-2023)", "mke2fs 1.42.9 (28-Dec-2013)", "mke2fs 1.47.1-rc1 (...)".
  private static final Pattern VERSION = Pattern.compile("mke2fs (\\d+)\\.(\\d+)\\S*");

  /** Asks mkfs.ext4 itself; it prints its version on stderr. */
  public static Optional<Mke2fs> ask(CommandRunner commands) throws IOException {
    return parse(commands.runForAllOutput(CommandRunner.Command.of(TIMEOUT, Tool.MKFS_EXT4.program(), "-V")));
  }

  /** The version in {@code mke2fs -V}'s output; empty when it says none bootj recognises. */
  public static Optional<Mke2fs> parse(String output) {
    Matcher m = VERSION.matcher(output);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new Mke2fs(m.group().substring("mke2fs ".length()),
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
  }

  public boolean canFillFromDirectory() {
    return atLeast(1, 43);
  }

  public boolean knowsOrphanFile() {
    return atLeast(1, 47);
  }

  public String tooOldMessage() {
    return "mkfs.ext4 is e2fsprogs " + version + ", which cannot fill a filesystem from a directory (-d,"
        + " e2fsprogs 1.43 or later); install a newer e2fsprogs, or choose xfs";
  }

  private boolean atLeast(int wantedMajor, int wantedMinor) {
    return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
  }
}
