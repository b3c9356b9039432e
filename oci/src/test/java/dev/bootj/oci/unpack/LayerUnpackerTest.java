package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {

  static final byte[] CAPABILITY_CAP_NET_RAW = dev.bootj.oci.testing.EdgeCaseLayers.CAPABILITY_CAP_NET_RAW;

  @TempDir Path temp;
  Path root;
  final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectory(temp.resolve("root"));
  }

  static boolean isRoot() {
    return PosixCalls.effectiveUid() == 0;
  }

  LayerStats unpack(TarBuilder... layers) throws IOException {
    LayerUnpacker unpacker = new LayerUnpacker(root, warnings::add);
    LayerStats last = null;
    for (TarBuilder layer : layers) {
      last = unpacker.apply(new ByteArrayInputStream(layer.build()));
    }
    return last;
  }

  int mode(String path) throws IOException {
    return (Integer) Files.getAttribute(root.resolve(path), "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  int uid(String path) throws IOException {
    return (Integer) Files.getAttribute(root.resolve(path), "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  Instant mtime(String path) throws IOException {
    return Files.getLastModifiedTime(root.resolve(path), LinkOption.NOFOLLOW_LINKS).toInstant();
  }

  Object inode(String path) throws IOException {
    return Files.getAttribute(root.resolve(path), "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  boolean exists(String path) {
    return Files.exists(root.resolve(path), LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void unpacksEveryType() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.dir("etc");
    layer.file("etc/hosts", "127.0.0.1 localhost\n");
    layer.symlink("etc/localtime", "/usr/share/zoneinfo/UTC");
    layer.symlink("etc/rel", "../x/y");
    layer.symlink("etc/odd", "a//b/./c/");
    layer.hardlink("etc/hosts.bak", "etc/hosts");
    layer.fifo("etc/pipe").mode(0620);

    LayerStats stats = unpack(layer);

    assertThat(stats.entries()).isEqualTo(7);
    assertThat(stats.bytesWritten()).isEqualTo(20);
    assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo("127.0.0.1 localhost\n");
    assertThat(Files.readSymbolicLink(root.resolve("etc/localtime"))).isEqualTo(Paths.get("/usr/share/zoneinfo/UTC"));
    assertThat(Files.readSymbolicLink(root.resolve("etc/rel"))).isEqualTo(Paths.get("../x/y"));
    assertThat(PosixCalls.readlink(root.resolve("etc/odd"))).isEqualTo("a//b/./c/");
    assertThat(inode("etc/hosts.bak")).isEqualTo(inode("etc/hosts"));
    assertThat(mode("etc/pipe")).isEqualTo(0010620);
    if (isRoot()) {
      assertThat(warnings).isEmpty();
    }
  }

  @Test
  void deviceNodes() throws IOException {
    assumeTrue(isRoot(), "mknod of devices needs root");
    TarBuilder layer = new TarBuilder();
    layer.charDevice("dev/null", 1, 3).mode(0666);
    layer.blockDevice("dev/big", 259, 70000).mode(0600);
    unpack(layer);
    assertThat(mode("dev/null")).isEqualTo(0020666);
    assertThat(Files.getAttribute(root.resolve("dev/null"), "unix:rdev")).isEqualTo(PosixCalls.makedev(1, 3));
    assertThat(mode("dev/big")).isEqualTo(0060600);
    assertThat(Files.getAttribute(root.resolve("dev/big"), "unix:rdev")).isEqualTo(PosixCalls.makedev(259, 70000));
  }

  @Test
  void deviceNumbersLinuxCannotHoldAreRefused() {
    TarBuilder layer = new TarBuilder();
    layer.blockDevice("dev/huge", 0x1234, 1);
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("'dev/huge'");
  }

  @Test
  void ownersAndSetuidAfterChown() throws IOException {
    assumeTrue(isRoot(), "chown needs root");
    TarBuilder layer = new TarBuilder();
    layer.dir("bin").owner(0, 0);
    layer.file("bin/su", "elf").mode(04755).owner(1000, 1000);
    layer.file("bin/wall", "elf").mode(02755).owner(0, 5);
    layer.dir("tmp").mode(01777);
    layer.symlink("bin/link", "su").owner(33, 44);
    layer.file("bin/big", "x").owner(3_000_000_000L, 4_000_000L);
    unpack(layer);
    assertThat(mode("bin/su")).isEqualTo(0104755);
    assertThat(uid("bin/su")).isEqualTo(1000);
    assertThat(mode("bin/wall")).isEqualTo(0102755);
    assertThat(Files.getAttribute(root.resolve("bin/wall"), "unix:gid")).isEqualTo(5);
    assertThat(mode("tmp")).isEqualTo(0041777);
    assertThat(uid("bin/link")).isEqualTo(33);
    assertThat(Integer.toUnsignedLong(uid("bin/big"))).isEqualTo(3_000_000_000L);
  }

  @Test
  void binaryCapabilityXattrRoundTrips() throws IOException {
    assumeTrue(isRoot(), "security.* xattrs need root");
    TarBuilder layer = new TarBuilder();
    layer.file("ping", "elf").mode(0755).owner(0, 0).xattr("security.capability", CAPABILITY_CAP_NET_RAW);
    layer.file("other", "x").xattr("user.bytes", new byte[] {(byte) 0xff, 0, 10, (byte) 0x80});
    layer.file("lib", "x").libarchiveXattr("trusted.meta", new byte[] {1, 2, 0, 3});
    unpack(layer);
    assertThat(PosixCalls.getXattr(root.resolve("ping"), "security.capability")).isEqualTo(CAPABILITY_CAP_NET_RAW);
    assertThat(PosixCalls.getXattr(root.resolve("other"), "user.bytes")).containsExactly(0xff, 0, 10, 0x80);
    assertThat(PosixCalls.getXattr(root.resolve("lib"), "trusted.meta")).containsExactly(1, 2, 0, 3);
  }

  @Test
  void mtimesWithNanosecondsForFilesSymlinksAndDirectories() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.dir("d").mtime(1_500_000_000L, 111_111_111);
    layer.file("d/f", "x").mtime(1_500_000_001L, 222_222_222);
    layer.symlink("d/l", "f").mtime(1_500_000_002L, 333_333_333);
    layer.dir("d/sub").mtime(1_500_000_003L);
    layer.file("d/sub/g", "y");
    unpack(layer);
    assertThat(mtime("d")).isEqualTo(Instant.ofEpochSecond(1_500_000_000L, 111_111_111));
    assertThat(mtime("d/f")).isEqualTo(Instant.ofEpochSecond(1_500_000_001L, 222_222_222));
    assertThat(mtime("d/l")).isEqualTo(Instant.ofEpochSecond(1_500_000_002L, 333_333_333));
    assertThat(mtime("d/sub")).isEqualTo(Instant.ofEpochSecond(1_500_000_003L));
  }

  @Test
  void directoryEntryAfterItsChildrenStillWins() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.file("late/f", "x");
    layer.dir("late").mode(0700).mtime(1234);
    unpack(layer);
    assertThat(mode("late")).isEqualTo(040700);
    assertThat(mtime("late")).isEqualTo(Instant.ofEpochSecond(1234));
  }

  @Test
  void directoryWithoutEntryKeepsItsMtime() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.dir("d").mtime(1000);
    lower.file("d/old", "x");
    lower.file("d/gone", "x");
    lower.dir("d/sub").mtime(2000);
    TarBuilder upper = new TarBuilder();
    upper.file("d/new", "y");
    upper.whiteout("d/gone");
    upper.file("d/sub/deep", "z");
    unpack(lower, upper);
    assertThat(mtime("d")).isEqualTo(Instant.ofEpochSecond(1000));
    assertThat(mtime("d/sub")).isEqualTo(Instant.ofEpochSecond(2000));
    assertThat(exists("d/new")).isTrue();
    assertThat(exists("d/gone")).isFalse();
  }

  @Test
  void directoryOverDirectoryKeepsChildrenAndTakesNewMetadata() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.dir("d").mode(0755).xattr("user.old", "1").mtime(1000);
    lower.file("d/child", "x");
    TarBuilder upper = new TarBuilder();
    upper.dir("d").mode(0710).xattr("user.new", "2").mtime(3000);
    unpack(lower, upper);
    assertThat(exists("d/child")).isTrue();
    assertThat(mode("d")).isEqualTo(040710);
    assertThat(mtime("d")).isEqualTo(Instant.ofEpochSecond(3000));
    assertThat(PosixCalls.listXattrs(root.resolve("d"))).contains("user.new").doesNotContain("user.old");
  }

  @Test
  void typeChangesAcrossLayers() throws IOException {
    Files.createDirectory(temp.resolve("target"));
    TarBuilder lower = new TarBuilder();
    lower.file("fileToDir", "x");
    lower.dir("dirToFile");
    lower.file("dirToFile/inner", "x");
    lower.dir("dirToFile/deeper");
    lower.file("dirToFile/deeper/f", "x");
    lower.file("linkTarget", "keep me");
    lower.symlink("linkToFile", "linkTarget");
    lower.dir("dirToLink");
    lower.file("dirToLink/x", "x");
    lower.symlink("linkToDir", "/linkTarget");
    lower.file("fileToFifo", "x");
    TarBuilder upper = new TarBuilder();
    upper.dir("fileToDir");
    upper.file("fileToDir/now", "y");
    upper.file("dirToFile", "now a file");
    upper.file("linkToFile", "replaced the link");
    upper.symlink("dirToLink", "/etc");
    upper.dir("linkToDir");
    upper.fifo("fileToFifo");
    unpack(lower, upper);
    assertThat(Files.isDirectory(root.resolve("fileToDir"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(root.resolve("dirToFile"))).isEqualTo("now a file");
    assertThat(Files.isSymbolicLink(root.resolve("linkToFile"))).isFalse();
    assertThat(Files.readString(root.resolve("linkToFile"))).isEqualTo("replaced the link");
    assertThat(Files.readString(root.resolve("linkTarget"))).isEqualTo("keep me");
    assertThat(Files.readSymbolicLink(root.resolve("dirToLink"))).isEqualTo(Paths.get("/etc"));
    assertThat(Files.isDirectory(root.resolve("linkToDir"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(mode("fileToFifo") & 0170000).isEqualTo(0010000);
  }

  @Test
  void whiteoutsDeleteLowerPathsAndAreNeverCreated() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.file("a", "x");
    lower.dir("tree");
    lower.dir("tree/sub");
    lower.file("tree/sub/f", "x");
    lower.symlink("link", "/tree");
    TarBuilder upper = new TarBuilder();
    upper.whiteout("a");
    upper.whiteout("tree");
    upper.whiteout("link");
    upper.whiteout("never/existed");
    upper.whiteout("missing");
    LayerStats stats = unpack(lower, upper);
    assertThat(stats.entries()).isEqualTo(5);
    try (var list = Files.list(root)) {
      assertThat(list).isEmpty();
    }
  }

  @Test
  void whiteoutSparesWhatTheSameLayerCreated() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.dir("d");
    lower.file("d/lower", "x");
    TarBuilder upper = new TarBuilder();
    upper.file("a", "new");
    upper.whiteout("a");
    upper.dir("d");
    upper.file("d/upper", "y");
    upper.whiteout("d");
    unpack(lower, upper);
    assertThat(Files.readString(root.resolve("a"))).isEqualTo("new");
    assertThat(exists("d/upper")).isTrue();
    assertThat(exists("d/lower")).isFalse();
  }

  @Test
  void opaqueWhiteoutBeforeChildren() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.dir("d").mtime(100);
    lower.file("d/old", "x");
    lower.dir("d/olddir");
    lower.file("d/olddir/f", "x");
    lower.file("keep", "x");
    TarBuilder upper = new TarBuilder();
    upper.dir("d").mtime(200);
    upper.opaque("d");
    upper.file("d/new", "y");
    unpack(lower, upper);
    try (var list = Files.list(root.resolve("d"))) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("new");
    }
    assertThat(exists("keep")).isTrue();
    assertThat(exists("d/.wh..wh..opq")).isFalse();
    assertThat(mtime("d")).isEqualTo(Instant.ofEpochSecond(200));
  }

  @Test
  void opaqueWhiteoutAfterChildrenKeepsThem() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.dir("d");
    lower.file("d/old", "x");
    lower.dir("d/sub");
    lower.file("d/sub/oldinner", "x");
    lower.file("d/replaced", "old");
    TarBuilder upper = new TarBuilder();
    upper.dir("d");
    upper.file("d/new", "y");
    upper.file("d/replaced", "new");
    upper.dir("d/sub");
    upper.file("d/sub/newinner", "z");
    upper.opaque("d");
    unpack(lower, upper);
    assertThat(exists("d/old")).isFalse();
    assertThat(exists("d/sub/oldinner")).isFalse();
    assertThat(exists("d/sub/newinner")).isTrue();
    assertThat(Files.readString(root.resolve("d/new"))).isEqualTo("y");
    assertThat(Files.readString(root.resolve("d/replaced"))).isEqualTo("new");
  }

  @Test
  void opaqueWhiteoutWithoutDirectoryEntryKeepsMtime() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.dir("d").mtime(100);
    lower.file("d/old", "x");
    TarBuilder upper = new TarBuilder();
    upper.opaque("d");
    unpack(lower, upper);
    assertThat(exists("d/old")).isFalse();
    assertThat(mtime("d")).isEqualTo(Instant.ofEpochSecond(100));
  }

  @Test
  void hardLinksWithinAndAcrossLayers() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.file("bin/busybox", "bb").mode(0755);
    TarBuilder upper = new TarBuilder();
    upper.hardlink("bin/sh", "bin/busybox");
    upper.hardlink("./bin/ls", "./bin/busybox");
    upper.file("own", "o");
    upper.hardlink("own2", "own");
    unpack(lower, upper);
    assertThat(inode("bin/sh")).isEqualTo(inode("bin/busybox"));
    assertThat(inode("bin/ls")).isEqualTo(inode("bin/busybox"));
    assertThat(inode("own2")).isEqualTo(inode("own"));
    assertThat(Files.getAttribute(root.resolve("bin/busybox"), "unix:nlink")).isEqualTo(3);
  }

  @Test
  void hardLinkReplacingAnExistingPath() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.file("a", "a");
    lower.file("b", "old b");
    TarBuilder upper = new TarBuilder();
    upper.hardlink("b", "a");
    unpack(lower, upper);
    assertThat(inode("b")).isEqualTo(inode("a"));
  }

  @Test
  void hardLinkToAMissingFileIsRefused() {
    TarBuilder layer = new TarBuilder();
    layer.hardlink("h", "nope");
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("does not exist");
  }

  @Test
  void hardLinkToASymlinkLinksTheSymlinkItself() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.file("target", "t");
    layer.symlink("sym", "target");
    layer.hardlink("hl", "sym");
    unpack(layer);
    assertThat(Files.isSymbolicLink(root.resolve("hl"))).isTrue();
    assertThat(inode("hl")).isEqualTo(inode("sym"));
  }

  @Test
  void nonAsciiAndLongNames() throws IOException {
    String longDir = "d".repeat(120);
    String longFile = longDir + "/" + "ñ".repeat(100);
    TarBuilder layer = new TarBuilder();
    layer.file("café/日本語.txt", "utf8");
    layer.dir(longDir);
    layer.file(longFile, "long");
    layer.symlink("gnu-" + "g".repeat(120), longFile).gnuLongNames();
    unpack(layer);
    assertThat(Files.readString(root.resolve("café/日本語.txt"))).isEqualTo("utf8");
    assertThat(Files.readString(root.resolve(longFile))).isEqualTo("long");
    assertThat(Files.readSymbolicLink(root.resolve("gnu-" + "g".repeat(120))).toString()).isEqualTo(longFile);
  }

  @Test
  void missingParentsAreCreated() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.file("a/b/c/file", "x");
    unpack(layer);
    assertThat(Files.readString(root.resolve("a/b/c/file"))).isEqualTo("x");
  }

  @Test
  void fileAsParentIsRefused() {
    TarBuilder layer = new TarBuilder();
    layer.file("f", "x");
    layer.file("f/child", "y");
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("f/child");
  }

  @Test
  void rootEntryUpdatesRootMetadataOnly() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.dir("./").mode(0750).mtime(999);
    layer.file("./etc/x", "x");
    unpack(layer);
    assertThat((Integer) Files.getAttribute(root, "unix:mode")).isEqualTo(040750);
    assertThat(Files.getLastModifiedTime(root)).isEqualTo(FileTime.from(Instant.ofEpochSecond(999)));
  }

  @Test
  void rootCannotBecomeAFile() {
    TarBuilder layer = new TarBuilder();
    layer.file("./", "x").type('0');
    assertThatThrownBy(() -> unpack(layer)).isInstanceOf(UnsafeLayerException.class);
  }

  @Test
  void streamIsNotClosedAndIsReadThroughTheEnd() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.file("a", "x");
    byte[] tar = layer.build();
    byte[] withTail = java.util.Arrays.copyOf(tar, tar.length + 10);
    ByteArrayInputStream in = new ByteArrayInputStream(withTail) {
      @Override
      public void close() {
        throw new AssertionError("closed");
      }
    };
    new LayerUnpacker(root, warnings::add).apply(in);
    assertThat(in.available()).isEqualTo(10);
  }

  @Test
  void rootlessModeWarnsOnceAndSkipsWhatItCannotDo() throws IOException {
    assumeTrue(!isRoot(), "only meaningful without root");
    TarBuilder layer = new TarBuilder();
    layer.file("f", "x").owner(1234, 1234).xattr("security.capability", CAPABILITY_CAP_NET_RAW);
    layer.charDevice("null", 1, 3);
    unpack(layer, layer);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("not running as root");
    assertThat(exists("f")).isTrue();
    assertThat(exists("null")).isFalse();
  }

  @Test
  void manyFilesQuickly() throws IOException {
    TarBuilder layer = new TarBuilder();
    for (int d = 0; d < 20; d++) {
      layer.dir("dir" + d);
      for (int f = 0; f < 100; f++) {
        layer.file("dir" + d + "/file" + f, "content " + f);
      }
    }
    long start = System.nanoTime();
    LayerStats stats = unpack(layer);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(stats.entries()).isEqualTo(2_020);
    assertThat(millis).as("2k entries took %d ms", millis).isLessThan(10_000);
  }

  @Test
  void umociInsertShapesRootEntryAbsoluteNamesAndImpliedSetgidParents() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.dir("/").mode(0750).mtime(1_650_000_000L);
    layer.dir("/shared").mode(02775);
    layer.file("/shared/implied/deeper/file", "x");
    layer.file("./dotted", "y");
    new LayerUnpacker(root, warnings::add).apply(new ByteArrayInputStream(layer.build()));
    assertThat(mode(root)).isEqualTo(0750);
    assertThat(Files.getLastModifiedTime(root).toInstant().getEpochSecond()).isEqualTo(1_650_000_000L);
    assertThat(mode(root.resolve("shared"))).isEqualTo(02775);
    // What mkdir makes inside a setgid directory, though this layer sets that bit only at its end.
    assertThat(mode(root.resolve("shared/implied"))).isEqualTo(02755);
    assertThat(mode(root.resolve("shared/implied/deeper"))).isEqualTo(02755);
    assertThat(Files.readString(root.resolve("shared/implied/deeper/file"))).isEqualTo("x");
    assertThat(Files.readString(root.resolve("dotted"))).isEqualTo("y");

    TarBuilder plain = new TarBuilder();
    plain.dir("plain").mode(0700);
    plain.file("plain/implied/file", "z");
    new LayerUnpacker(root, warnings::add).apply(new ByteArrayInputStream(plain.build()));
    assertThat(mode(root.resolve("plain/implied"))).isEqualTo(0755 & ~umask());
  }

  private static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private int umask() throws IOException {
    Path probe = Files.createDirectory(temp.resolve("umask-probe"));
    return ~mode(probe) & 0777;
  }
}
