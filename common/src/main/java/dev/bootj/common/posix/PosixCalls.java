package dev.bootj.common.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libc calls the JDK does not offer: owners and times of a symlink itself, device nodes and
 * FIFOs, and extended attributes of any namespace as raw bytes. Every call acts on the named entry
 * itself and never follows a final symlink, except {@link #chmod}, which callers only use on
 * entries they know are not symlinks (Linux cannot change a symlink's mode).
 *
 * <p>Bound by JNA direct mapping: one native method per call, no per-call reflection. Errors come
 * back as {@link IOException} carrying the path and the {@code strerror} text.
 */
public final class PosixCalls {

  public static final int ENOENT = 2;
  public static final int EEXIST = 17;
  public static final int EPERM = 1;
  public static final int ENODATA = 61;
  public static final int ERANGE = 34;
  public static final int EOPNOTSUPP = 95;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  /** utimensat's "leave this time as it is" marker. */
  private static final long UTIME_OMIT = (1L << 30) - 2L;

  public static final int S_IFIFO = 0010000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;

  static {
    Native.register(PosixCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private PosixCalls() {}

  private static native int geteuid();

  private static native int getegid();

  private static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

  private static native int chmod(byte[] path, int mode) throws LastErrorException;

  private static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;

  private static native int utimensat(int dirfd, byte[] path, long[] times, int flags)
      throws LastErrorException;

  private static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
      throws LastErrorException;

  private static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
      throws LastErrorException;

  private static native long llistxattr(byte[] path, byte[] list, long size)
      throws LastErrorException;

  private static native int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

  private static native int symlink(byte[] target, byte[] linkPath) throws LastErrorException;

  private static native long readlink(byte[] path, byte[] buffer, long size) throws LastErrorException;

  private static native String strerror(int errnum);

  /** A path as the NUL-terminated bytes the kernel sees; the JVM maps names through UTF-8. */
  public static byte[] nativePath(Path path) {
    return terminated(path.toString());
  }

  private static byte[] terminated(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(bytes, bytes.length + 1);
  }

  public static int effectiveUid() {
    return geteuid();
  }

  /** Whether this process runs with root's powers (effective uid 0). */
  public static boolean isRoot() {
    return effectiveUid() == 0;
  }

  public static int effectiveGid() {
    return getegid();
  }

  public static void lchown(Path path, int uid, int gid) throws IOException {
    try {
      lchown(nativePath(path), uid, gid);
    } catch (LastErrorException e) {
      throw failure("chown", path, e);
    }
  }

  /** Sets all twelve permission bits, setuid/setgid/sticky included. Follows symlinks: see class doc. */
  public static void chmod(Path path, int mode) throws IOException {
    try {
      chmod(nativePath(path), mode & 07777);
    } catch (LastErrorException e) {
      throw failure("chmod", path, e);
    }
  }

  /** Creates a FIFO or device node; {@code type} is one of the S_IF* constants here. */
  public static void mknod(Path path, int type, int mode, long major, long minor)
      throws IOException {
    try {
      mknod(nativePath(path), type | (mode & 07777), makedev(major, minor));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EEXIST) {
        throw new FileAlreadyExistsException(path.toString());
      }
      throw failure("mknod", path, e);
    }
  }

  /** glibc's encoding of a device number (12+20 bit major, 20+12 bit minor in a 64-bit dev_t). */
  public static long makedev(long major, long minor) {
    return ((major & 0xfffL) << 8)
        | ((major & ~0xfffL) << 32)
        | (minor & 0xffL)
        | ((minor & ~0xffL) << 12);
  }

  /**
   * Creates a symlink whose target is exactly {@code target}; {@link java.nio.file.Files} would
   * normalise it ("a//b/" becomes "a/b"), and layers must round-trip byte for byte.
   */
  public static void symlink(String target, Path link) throws IOException {
    try {
      symlink(terminated(target), nativePath(link));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EEXIST) {
        throw new FileAlreadyExistsException(link.toString());
      }
      throw failure("create symlink", link, e);
    }
  }

  /** A symlink's target exactly as stored, unlike {@link java.nio.file.Files#readSymbolicLink}. */
  public static String readlink(Path link) throws IOException {
    byte[] cpath = nativePath(link);
    for (int size = 256; ; size *= 2) {
      byte[] buffer = new byte[size];
      long length;
      try {
        length = readlink(cpath, buffer, size);
      } catch (LastErrorException e) {
        throw failure("read symlink", link, e);
      }
      if (length < size) {
        return new String(buffer, 0, (int) length, StandardCharsets.UTF_8);
      }
    }
  }

  /** Sets atime and mtime of the entry itself (a symlink's own times, not its target's). */
  public static void setTimes(Path path, long seconds, int nanos) throws IOException {
    setTimes(path, new long[] {seconds, nanos, seconds, nanos});
  }

  /** Sets only the mtime, leaving atime as it is. */
  public static void setModifiedTime(Path path, long seconds, int nanos) throws IOException {
    setTimes(path, new long[] {0, UTIME_OMIT, seconds, nanos});
  }

  private static void setTimes(Path path, long[] times) throws IOException {
    try {
      utimensat(AT_FDCWD, nativePath(path), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw failure("set times of", path, e);
    }
  }

  /** Thrown for xattr calls so that callers can tell EPERM/ENOTSUP apart from real failures. */
  public static final class XattrException extends IOException {
    private final int errno;

    XattrException(String message, int errno) {
      super(message);
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  public static void setXattr(Path path, String name, byte[] value) throws XattrException {
    try {
      lsetxattr(nativePath(path), terminated(name), value, value.length, 0);
    } catch (LastErrorException e) {
      throw new XattrException(
          "cannot set xattr " + name + " on " + path + ": " + strerror(e.getErrorCode()),
          e.getErrorCode());
    }
  }

  public static void removeXattr(Path path, String name) throws XattrException {
    try {
      lremovexattr(nativePath(path), terminated(name));
    } catch (LastErrorException e) {
      throw new XattrException(
          "cannot remove xattr " + name + " from " + path + ": " + strerror(e.getErrorCode()),
          e.getErrorCode());
    }
  }

  /** The value of one xattr, or null when the entry does not have it. */
  public static byte[] getXattr(Path path, String name) throws XattrException {
    byte[] cpath = nativePath(path);
    byte[] cname = terminated(name);
    // The value can grow between the size query and the read; retry on ERANGE.
    for (int attempt = 0; ; attempt++) {
      try {
        long size = lgetxattr(cpath, cname, null, 0);
        byte[] value = new byte[(int) size];
        long read = size == 0 ? 0 : lgetxattr(cpath, cname, value, size);
        return read == size ? value : Arrays.copyOf(value, (int) read);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ENODATA) {
          return null;
        }
        if (e.getErrorCode() == ERANGE && attempt < 5) {
          continue;
        }
        throw new XattrException(
            "cannot read xattr " + name + " of " + path + ": " + strerror(e.getErrorCode()),
            e.getErrorCode());
      }
    }
  }

  /** Names of all xattrs of the entry itself, in the order the filesystem lists them. */
  public static List<String> listXattrs(Path path) throws XattrException {
    byte[] cpath = nativePath(path);
    for (int attempt = 0; ; attempt++) {
      try {
        long size = llistxattr(cpath, null, 0);
        List<String> names = new ArrayList<>();
        if (size == 0) {
          return names;
        }
        byte[] list = new byte[(int) size];
        long read = llistxattr(cpath, list, size);
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (list[i] == 0) {
            names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
            start = i + 1;
          }
        }
        return names;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ERANGE && attempt < 5) {
          continue;
        }
        throw new XattrException(
            "cannot list xattrs of " + path + ": " + strerror(e.getErrorCode()), e.getErrorCode());
      }
    }
  }

  private static IOException failure(String what, Path path, LastErrorException e) {
    return new IOException("cannot " + what + " " + path + ": " + strerror(e.getErrorCode()));
  }
}
