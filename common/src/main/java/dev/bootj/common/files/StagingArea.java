package dev.bootj.common.files;

import dev.bootj.common.posix.TerminationSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A scratch directory that an install or an update unpacks a whole OS into (hundreds of MB). It is
 * emptied before use, since a killed run leaves its tree behind, and removed afterwards whether the
 * work succeeded or not; a failure to remove it is a warning, never the command's failure.
 */
public final class StagingArea implements AutoCloseable {

  private final Path directory;
  private final Consumer<String> warnings;
  /** Removes the tree if a termination signal leaves no time to unwind. */
  private final TerminationSignals.Registration lastResort;

  private StagingArea(Path directory, Consumer<String> warnings) {
    this.directory = directory;
    this.warnings = warnings;
    this.lastResort = TerminationSignals.whileRunning(() -> {
      try {
        SubtreeDeleter.forThisProcess().delete(directory);
      } catch (IOException e) {
        // The next run empties it (at) or it stays a stale tree in a temporary directory.
      }
    });
  }

  /** {@code directory}, emptied of what an earlier run left there, and created. */
  public static StagingArea at(Path directory, Consumer<String> warnings) throws IOException {
    SubtreeDeleter.forThisProcess().delete(directory);
    Files.createDirectories(directory);
    return new StagingArea(directory, warnings);
  }

  /**
   * The staging directory of one {@code purpose} ("install", "update") on one {@code target} (a
   * disk's real path) under {@code parent}: always the same one, so that a run killed with SIGKILL
   * leaves a tree the next run on that target removes.
   */
  public static StagingArea forTarget(Path parent, String purpose, String target, Consumer<String> warnings)
      throws IOException {
    return at(pathFor(parent, purpose, target), warnings);
  }

  /** The directory {@link #forTarget} uses. */
  public static Path pathFor(Path parent, String purpose, String target) {
    return parent.resolve("bootj-" + purpose + "-" + StableName.of(target));
  }

  /**
   * Where OS trees are staged by default: /var/tmp, which is on disk (the FHS keeps it across
   * reboots), not /tmp, which many distributions put in RAM; the JVM's temporary directory where
   * /var/tmp is not writable.
   */
  public static Path defaultParent() {
    Path varTmp = Path.of("/var/tmp");
    return Files.isDirectory(varTmp) && Files.isWritable(varTmp) ? varTmp : Path.of(System.getProperty("java.io.tmpdir"));
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    lastResort.close();
    try {
      SubtreeDeleter.forThisProcess().delete(directory);
    } catch (IOException e) {
      warnings.accept("could not remove the staging directory " + directory + ": " + e.getMessage());
    }
  }
}
