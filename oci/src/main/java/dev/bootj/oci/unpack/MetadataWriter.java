package dev.bootj.oci.unpack;

import dev.bootj.common.posix.PosixCalls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies an entry's owner, mode, xattrs and times to what was just created for it. The order
 * matters: chown clears setuid/setgid and the kernel drops security.capability on chown, so mode
 * and xattrs come after the owner; times come last because the other changes touch ctime only.
 */
public final class MetadataWriter {

  /**
   * Host-specific xattrs that umoci neither sets from a layer nor clears from the disk: SELinux
   * labels belong to the host's policy and NFSv4 ACLs to the file server.
   */
  public static final Set<String> HOST_XATTRS = Set.of("security.selinux", "system.nfs4_acl");

  private final boolean rootless;
  private final Consumer<String> warnings;
  private boolean unsupportedXattrsReported;

  MetadataWriter(boolean rootless, Consumer<String> warnings) {
    this.rootless = rootless;
    this.warnings = warnings;
  }

  /** For writers other than the unpacker that run as root (an update patching a slot). */
  public static MetadataWriter asRoot(Consumer<String> warnings) {
    return new MetadataWriter(false, warnings);
  }

  /**
   * Owner, mode (not for a symlink), exactly these xattrs, and the mtime (when not null), in the
   * order the class comment gives.
   */
  public void apply(Path path, boolean symlink, long uid, long gid, int mode, Map<String, byte[]> xattrs,
      Instant mtime) throws IOException {
    PosixCalls.lchown(path, (int) uid, (int) gid);
    if (!symlink) {
      PosixCalls.chmod(path, mode);
      xattrs(path, xattrs, true);
    }
    if (mtime != null) {
      times(path, mtime);
    }
  }

  /** Owner, mode (unless a symlink, which has none), xattrs and times of a new non-directory. */
  void applyAll(Path path, TarEntry entry, boolean symlink) throws IOException {
    owner(path, entry);
    if (!symlink) {
      PosixCalls.chmod(path, entry.mode());
    }
    xattrs(path, entry.xattrs(), false);
    times(path, entry.mtime());
  }

  void owner(Path path, TarEntry entry) throws IOException {
    if (!rootless) {
      PosixCalls.lchown(path, (int) entry.uid(), (int) entry.gid());
    }
  }

  /**
   * Sets the given xattrs. With {@code replaceExisting}, first removes xattrs the entry does not
   * list, so a directory kept from a lower layer ends up with exactly this layer's set.
   */
  void xattrs(Path path, Map<String, byte[]> xattrs, boolean replaceExisting) throws IOException {
    if (replaceExisting) {
      try {
        for (String name : PosixCalls.listXattrs(path)) {
          if (!HOST_XATTRS.contains(name) && !xattrs.containsKey(name)) {
            tolerate(() -> PosixCalls.removeXattr(path, name));
          }
        }
      } catch (PosixCalls.XattrException e) {
        if (e.errno() != PosixCalls.EOPNOTSUPP) {
          throw e;
        }
        reportUnsupported(path);
      }
    }
    for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
      if (!HOST_XATTRS.contains(xattr.getKey())) {
        tolerate(() -> PosixCalls.setXattr(path, xattr.getKey(), xattr.getValue()));
      }
    }
  }

  public void times(Path path, Instant mtime) throws IOException {
    PosixCalls.setTimes(path, mtime.getEpochSecond(), mtime.getNano());
  }

  void modifiedTime(Path path, Instant mtime) throws IOException {
    PosixCalls.setModifiedTime(path, mtime.getEpochSecond(), mtime.getNano());
  }

  private interface XattrCall {
    void run() throws PosixCalls.XattrException;
  }

  /** Rootless: EPERM (trusted./security. namespaces) is expected and was announced up front. */
  private void tolerate(XattrCall call) throws IOException {
    try {
      call.run();
    } catch (PosixCalls.XattrException e) {
      if (rootless && e.errno() == PosixCalls.EPERM) {
        return;
      }
      if (e.errno() == PosixCalls.EOPNOTSUPP) {
        reportUnsupported(null);
        return;
      }
      throw e;
    }
  }

  private void reportUnsupported(Path path) {
    if (!unsupportedXattrsReported) {
      unsupportedXattrsReported = true;
      warnings.accept(
          "the target filesystem does not support extended attributes; xattrs are not restored");
    }
  }
}
