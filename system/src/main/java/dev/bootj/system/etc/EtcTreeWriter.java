package dev.bootj.system.etc;

import dev.bootj.common.BootjException;
import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes planned entries into a fresh directory with their full metadata. Directories get their
 * mode and times only after everything inside them is written: a 0555 directory would refuse its
 * own contents, and writing contents moves the directory's mtime.
 */
final class EtcTreeWriter {

  private final Path target;
  /** "device:inode" of a multiply-linked file, to the first path written for it. */
  private final Map<String, Path> writtenInodes = new HashMap<>();

  EtcTreeWriter(Path target) {
    this.target = target;
  }

  void write(List<EtcMergePlan.PlannedEntry> entries) throws IOException {
    prepareTarget();
    List<EtcMergePlan.PlannedEntry> directories = new ArrayList<>();
    for (EtcMergePlan.PlannedEntry entry : entries) {
      EtcEntry source = entry.source();
      Path destination = entry.path().isEmpty() ? target : target.resolve(entry.path());
      if (source.isDirectory()) {
        if (!entry.path().isEmpty()) {
          Files.createDirectory(destination);
        }
        directories.add(entry);
        continue;
      }
      if (linkToEarlierCopy(source, destination)) {
        continue;
      }
      create(source, destination);
      setOwnerModeXattrs(source, destination);
      setTimes(source, destination);
    }
    // Deepest first, so that finishing a directory cannot disturb one inside it.
    for (int i = directories.size() - 1; i >= 0; i--) {
      EtcMergePlan.PlannedEntry entry = directories.get(i);
      Path destination = entry.path().isEmpty() ? target : target.resolve(entry.path());
      setOwnerModeXattrs(entry.source(), destination);
      setTimes(entry.source(), destination);
    }
  }

  private void prepareTarget() throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new BootjException(BootjException.Kind.SYSTEM,
            target + " exists and is not a directory; cannot write the merged /etc there");
      }
      try (Stream<Path> children = Files.list(target)) {
        if (children.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(target.toString());
        }
      }
    } else {
      Files.createDirectory(target);
    }
  }

  /** Makes a hard link when the source's inode was already copied; true if it did. */
  private boolean linkToEarlierCopy(EtcEntry source, Path destination) throws IOException {
    if (source.type() != EtcEntryType.FILE || source.linkCount() < 2) {
      return false;
    }
    // device:inode names one file on this machine, whichever tree it was captured from.
    String key = source.inodeKey();
    Path first = writtenInodes.get(key);
    if (first == null) {
      writtenInodes.put(key, destination);
      return false;
    }
    Files.createLink(destination, first);
    return true;
  }

  private static void create(EtcEntry source, Path destination) throws IOException {
    switch (source.type()) {
      // Content only: every attribute is set from the captured entry afterwards.
      case FILE -> Files.copy(source.location(), destination, LinkOption.NOFOLLOW_LINKS);
      case SYMLINK -> PosixCalls.symlink(source.linkTarget(), destination);
      case FIFO -> PosixCalls.mknod(destination, PosixCalls.S_IFIFO, source.mode(), 0, 0);
      case CHARACTER_DEVICE, BLOCK_DEVICE -> PosixCalls.mknod(destination,
          source.type() == EtcEntryType.CHARACTER_DEVICE ? PosixCalls.S_IFCHR : PosixCalls.S_IFBLK,
          source.mode(), major(source.rdev()), minor(source.rdev()));
      default -> throw new IOException("cannot copy the " + source.type().label() + " "
          + source.location());
    }
    // A file that changed type since the plan was made would be copied as something else.
    if (source.type() == EtcEntryType.FILE
        && !Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(source.location() + " is no longer a regular file; plan again");
    }
  }

  private static void setOwnerModeXattrs(EtcEntry source, Path destination) throws IOException {
    // chown clears setuid and setgid, so the mode comes after the owner.
    PosixCalls.lchown(destination, source.uid(), source.gid());
    if (source.type() != EtcEntryType.SYMLINK) {
      PosixCalls.chmod(destination, source.mode());
    }
    for (Map.Entry<String, String> xattr : source.xattrs().entrySet()) {
      PosixCalls.setXattr(destination, xattr.getKey(), HexFormat.of().parseHex(xattr.getValue()));
    }
  }

  private static void setTimes(EtcEntry source, Path destination) throws IOException {
    FileTime time = source.modifiedTime();
    Instant instant = time.toInstant();
    PosixCalls.setTimes(destination, instant.getEpochSecond(), instant.getNano());
  }

  /** glibc's split of a 64-bit dev_t, the inverse of PosixCalls' makedev. */
  static long major(long rdev) {
    return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL);
  }

  static long minor(long rdev) {
    return (rdev & 0xffL) | ((rdev >>> 12) & ~0xffL);
  }
}
