package dev.bootj.it.update;

import dev.bootj.it.support.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bootj disk image that a test works on, read with tools that are not bootj's: its GPT ({@link
 * Layout}), its ESP with mtools, its ext4 partitions with debugfs, its xfs ones through a read-only
 * mount, its filesystem types with blkid, each filesystem's own checker. Nothing here writes to it.
 */
final class TestDisk {

  private static final Map<String, String> MTOOLS = Map.of("MTOOLS_SKIP_CHECK", "1");

  private final Path image;

  TestDisk(Path image) {
    this.image = image;
  }

  Path image() {
    return image;
  }

  Layout layout() throws IOException {
    return Layout.read(image);
  }

  /** Partition {@code n} as e2fsprogs and mtools name a byte range of a file: FILE?offset=N. */
  String e2fsprogsImage(int n) throws IOException {
    return image + "?offset=" + layout().offset(n);
  }

  /** The text of a file on the ESP ({@code ::/loader/entries/bootj-a.conf}). */
  String mtype(String espPath) throws Exception {
    return Host.runWith(MTOOLS, "mtype", "-i", espImage(), espPath);
  }

  /** A directory of the ESP, one path a line ({@code mdir -b}). */
  String mdir(String espPath) throws Exception {
    return Host.runWith(MTOOLS, "mdir", "-b", "-i", espImage(), espPath);
  }

  /** The bytes of a file on the ESP ({@code /bootj/a/vmlinuz}). */
  byte[] espFile(String espPath) throws Exception {
    Path copy = Files.createTempFile("it-esp-", ".bin");
    try {
      Host.runWith(MTOOLS, "mcopy", "-n", "-o", "-i", espImage(), "::" + espPath, copy.toString());
      return Files.readAllBytes(copy);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /** The name of slot {@code slot}'s entry on the ESP, whatever its boot counter; null when it has none. */
  String entryFile(String slot) throws Exception {
    return mdir("::/loader/entries").lines().map(String::strip)
        .map(l -> l.substring(l.lastIndexOf('/') + 1))
        .filter(n -> n.startsWith("bootj-" + slot + ".") || n.startsWith("bootj-" + slot + "+"))
        .filter(n -> n.endsWith(".conf"))
        .findFirst().orElse(null);
  }

  /** What debugfs prints for {@code request} ({@code cat /etc/hostname}) on ext4 partition {@code n}. */
  String debugfs(int n, String request) throws Exception {
    return Host.run("debugfs", "-R", request, e2fsprogsImage(n));
  }

  /**
   * The bytes of each of {@code paths} in partition {@code n}: from ext4 with one debugfs; from xfs
   * through one read-only mount that leaves a journal as it is ({@code norecovery}) and allows a
   * second mount of the filesystem ({@code nouuid}), for one that a killed bootj left mounted.
   */
  Map<String, byte[]> files(int n, String filesystem, List<String> paths) throws Exception {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    if (filesystem.equals("xfs")) {
      Layout layout = layout();
      try (Mounted mounted = Mounted.readOnly(image, layout.offset(n), layout.size(n), "ro,norecovery,nouuid")) {
        for (String path : paths) {
          contents.put(path, Files.readAllBytes(mounted.path().resolve(path.substring(1))));
        }
      }
      return contents;
    }
    Path dumps = Files.createTempDirectory("it-ext4-");
    try {
      StringBuilder requests = new StringBuilder();
      for (int i = 0; i < paths.size(); i++) {
        requests.append("dump ").append(paths.get(i)).append(' ').append(dumps.resolve(String.valueOf(i))).append('\n');
      }
      Path script = Files.writeString(dumps.resolve("requests"), requests);
      Host.run("debugfs", "-f", script.toString(), e2fsprogsImage(n));
      for (int i = 0; i < paths.size(); i++) {
        contents.put(paths.get(i), Files.readAllBytes(dumps.resolve(String.valueOf(i))));
      }
      return contents;
    } finally {
      dev.bootj.common.files.SubtreeDeleter.forThisProcess().delete(dumps);
    }
  }

  /**
   * Checks partition {@code n} with its filesystem's own checker, changing nothing: {@code e2fsck
   * -fn} (ext4), {@code xfs_repair -n} (xfs), {@code fsck.fat -n} (the ESP); fails with what the
   * checker printed.
   */
  void check(int n, String filesystem) throws Exception {
    Duration timeout = Duration.ofMinutes(2);
    if (filesystem.equals("ext4")) {
      HostCommand.run(timeout, List.of("e2fsck", "-fn", e2fsprogsImage(n)));
      return;
    }
    String checker = switch (filesystem) {
      case "xfs" -> "xfs_repair";
      case "vfat" -> "fsck.fat";
      default -> throw new IllegalArgumentException("no checker for " + filesystem);
    };
    Layout layout = layout();
    try (Loop loop = Loop.attach(image, layout.offset(n), layout.size(n), true)) {
      HostCommand.run(timeout, List.of(checker, "-n", loop.device()));
    }
  }

  /** The filesystem blkid sees in partition {@code n}. */
  String blkidType(int n) throws Exception {
    return Host.run("blkid", "-p", "-o", "value", "-s", "TYPE", "-O", String.valueOf(layout().offset(n)),
        image.toString()).strip();
  }

  private String espImage() throws IOException {
    return image + "@@" + layout().offset(1);
  }
}
