package dev.bootj.common.files;

import dev.bootj.common.posix.PosixCalls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes an entry and, if it is a real directory, everything below it. Symlinks are deleted as
 * links and never entered, so a tree under root cannot lead the deletion outside root.
 */
public final class SubtreeDeleter {

  private final boolean rootless;

  /** @param rootless whether to make read-only directories writable before emptying them */
  public SubtreeDeleter(boolean rootless) {
    this.rootless = rootless;
  }

  /** For trees this process made: rootless when not running as root. */
  public static SubtreeDeleter forThisProcess() {
    return new SubtreeDeleter(PosixCalls.effectiveUid() != 0);
  }

  public void delete(Path path) throws IOException {
    BasicFileAttributes attributes = RootResolver.lstatOrNull(path);
    if (attributes == null) {
      return;
    }
    if (attributes.isDirectory()) {
      if (rootless) {
        // Without CAP_DAC_OVERRIDE a 0555 directory cannot be emptied; it is deleted anyway.
        PosixCalls.chmod(path, 0700);
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          delete(child);
        }
      }
    }
    try {
      Files.delete(path);
    } catch (AccessDeniedException e) {
      throw new AccessDeniedException(path.toString(), null, "cannot delete it while unpacking a layer");
    }
  }
}
