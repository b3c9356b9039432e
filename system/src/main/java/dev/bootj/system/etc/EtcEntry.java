package dev.bootj.system.etc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One path of an /etc tree as it was when the tree was captured. Nothing here follows a symlink:
 * a symlink is a value (its target text, owner and xattrs), never a way into another tree.
 *
 * @param path relative to the tree's root, '/'-separated; "" is the root directory itself
 * @param location where the entry lives on disk (the content is read from here when copying)
 * @param type what kind of entry it is
 * @param mode the twelve permission bits (setuid, setgid and sticky included)
 * @param size bytes of a regular file's content, else 0
 * @param linkTarget a symlink's target exactly as stored, else null
 * @param rdev a device node's number, else 0
 * @param xattrs every extended attribute, values as lowercase hex so that equality is by value
 * @param inodeKey "device:inode", to find the hard links of one file within a tree
 * @param linkCount the number of hard links to the inode
 */
public record EtcEntry(
    String path,
    Path location,
    EtcEntryType type,
    int mode,
    int uid,
    int gid,
    long size,
    String linkTarget,
    long rdev,
    SortedMap<String, String> xattrs,
    FileTime modifiedTime,
    String inodeKey,
    int linkCount) {

  /** What can differ between a user's entry and the pristine one it came from. */
  public enum Difference {
    TYPE("type"),
    CONTENT("content"),
    MODE("mode"),
    OWNER("owner"),
    XATTRS("xattrs"),
    SYMLINK_TARGET("symlink target"),
    DEVICE_NUMBER("device number");

    private final String label;

    Difference(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public EtcEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
  }

  public boolean isDirectory() {
    return type == EtcEntryType.DIRECTORY;
  }

  /** The path as the person at the terminal knows it, e.g. "/etc/ssh/sshd_config". */
  public String displayPath() {
    return displayPath(path);
  }

  public static String displayPath(String relativePath) {
    return relativePath.isEmpty() ? "/etc" : "/etc/" + relativePath;
  }

  /**
   * How this entry differs from {@code pristine}, the same path in the image's pristine /etc.
   * Times and hard-link counts are not compared: they change without anyone editing anything
   * (a package manager touching a file, an editor saving in place). A changed type is reported
   * alone, because the other attributes of two different kinds of entry are not comparable.
   */
  public Set<Difference> differencesFrom(EtcEntry pristine) throws IOException {
    if (type != pristine.type) {
      return EnumSet.of(Difference.TYPE);
    }
    EnumSet<Difference> differences = EnumSet.noneOf(Difference.class);
    // Linux gives every symlink mode 0777 and cannot change it, so it carries no information.
    if (type != EtcEntryType.SYMLINK && mode != pristine.mode) {
      differences.add(Difference.MODE);
    }
    if (uid != pristine.uid || gid != pristine.gid) {
      differences.add(Difference.OWNER);
    }
    if (!xattrs.equals(pristine.xattrs)) {
      differences.add(Difference.XATTRS);
    }
    switch (type) {
      case FILE -> {
        if (size != pristine.size || Files.mismatch(location, pristine.location) != -1L) {
          differences.add(Difference.CONTENT);
        }
      }
      case SYMLINK -> {
        if (!linkTarget.equals(pristine.linkTarget)) {
          differences.add(Difference.SYMLINK_TARGET);
        }
      }
      case CHARACTER_DEVICE, BLOCK_DEVICE -> {
        if (rdev != pristine.rdev) {
          differences.add(Difference.DEVICE_NUMBER);
        }
      }
      default -> {
        // Directories, FIFOs and sockets have nothing beyond the attributes compared above.
      }
    }
    return differences;
  }
}
