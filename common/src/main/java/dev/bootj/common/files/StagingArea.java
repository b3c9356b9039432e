package dev.bootj.common.files;

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

  private StagingArea(Path directory, Consumer<String> warnings) {
    this.directory = directory;
    this.warnings = warnings;
  }

  /** {@code directory}, emptied of what an earlier run left there, and created. */
  public static StagingArea at(Path directory, Consumer<String> warnings) throws IOException {
    SubtreeDeleter.forThisProcess().delete(directory);
    Files.createDirectories(directory);
    return new StagingArea(directory, warnings);
  }

  /** A new directory of its own under {@code parent}, named {@code prefix...}. */
  public static StagingArea createUnder(Path parent, String prefix, Consumer<String> warnings) throws IOException {
    Files.createDirectories(parent);
    return new StagingArea(Files.createTempDirectory(parent, prefix), warnings);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      SubtreeDeleter.forThisProcess().delete(directory);
    } catch (IOException e) {
      warnings.accept("could not remove the staging directory " + directory + ": " + e.getMessage());
    }
  }
}
