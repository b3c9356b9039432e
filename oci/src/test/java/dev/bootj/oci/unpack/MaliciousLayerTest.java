package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers built to escape the root. Each test puts a real directory next to root, snapshots it, and
 * checks afterwards that it is untouched byte for byte, whatever the layer did or failed to do.
 */
class MaliciousLayerTest {

  @TempDir Path temp;
  Path root;
  Path outside;
  TreeSnapshot outsideBefore;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(temp.resolve("a/b/root"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(outside.resolve("etc"));
    Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.writeString(outside.resolve("etc/shadow"), "root:secret\n");
    Files.writeString(outside.resolve("file"), "outside file\n");
    Files.createDirectories(outside.resolve("dir/sub"));
    Files.writeString(outside.resolve("dir/sub/data"), "data\n");
    // Siblings of root that a "../" name would reach.
    Files.writeString(temp.resolve("a/b/x"), "sibling\n");
    Files.writeString(temp.resolve("a/x"), "cousin\n");
    outsideBefore = TreeSnapshot.capture(temp.resolve("outside"));
  }

  @AfterEach
  void outsideIsUntouched() throws IOException {
    assertThat(TreeSnapshot.capture(outside).diff(outsideBefore)).isEmpty();
    assertThat(Files.readString(temp.resolve("a/b/x"))).isEqualTo("sibling\n");
    assertThat(Files.readString(temp.resolve("a/x"))).isEqualTo("cousin\n");
    try (var list = Files.list(temp.resolve("a/b"))) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root", "x");
    }
  }

  private void unpack(TarBuilder... layers) throws IOException {
    LayerUnpacker unpacker = new LayerUnpacker(root, w -> {});
    for (TarBuilder layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer.build()));
    }
  }

  private String relativeOutside() {
    return root.relativize(outside).toString(); // ../../../outside
  }

  @Test
  void dotDotNamesAreRefused() {
    TarBuilder layer = new TarBuilder();
    layer.file("../../x", "pwned");
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("'../../x'");
    TarBuilder hidden = new TarBuilder();
    hidden.file("ok/../../x", "pwned");
    assertThatThrownBy(() -> unpack(hidden)).isInstanceOf(UnsafeLayerException.class);
  }

  @Test
  void absoluteNamesLandInsideTheRoot() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.file(outside.resolve("file").toString(), "inside after all");
    unpack(layer);
    assertThat(Files.readString(outside.resolve("file"))).isEqualTo("outside file\n");
    assertThat(Files.readString(root.resolve(outside.toString().substring(1)).resolve("file")))
        .isEqualTo("inside after all");
    TarBuilder climbing = new TarBuilder();
    climbing.file("/" + relativeOutside() + "/file2", "pwned");
    assertThatThrownBy(() -> unpack(climbing))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("climbs out");
    assertThat(outside.resolve("file2")).doesNotExist();
  }

  @Test
  void symlinkToSlashThenWriteThroughIt() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.symlink("link", "/");
    layer.file("link/etc/passwd", "in root");
    layer.symlink("abs", outside.toString());
    layer.file("abs/file", "re-rooted");
    unpack(layer);
    assertThat(Files.readString(root.resolve("etc/passwd"))).isEqualTo("in root");
    assertThat(Files.readString(root.resolve(outside.toString().substring(1)).resolve("file")))
        .isEqualTo("re-rooted");
  }

  @Test
  void symlinkWithDotDotTargetUsedAsParent() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.symlink("up", "../../..");
    layer.file("up/x", "clamped");
    layer.symlink("out", relativeOutside());
    layer.file("out/file", "clamped too");
    layer.dir("out/dir").mode(0700);
    unpack(layer);
    assertThat(Files.readString(root.resolve("x"))).isEqualTo("clamped");
    assertThat(Files.readString(root.resolve("outside/file"))).isEqualTo("clamped too");
  }

  @Test
  void symlinkInTheWayIsReplacedNotFollowed() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.symlink("evil", outside.resolve("file").toString());
    lower.symlink("evil2", relativeOutside() + "/file");
    lower.symlink("evildir", relativeOutside() + "/dir");
    TarBuilder upper = new TarBuilder();
    upper.file("evil", "mine");
    upper.file("evil2", "mine too");
    upper.dir("evildir").mode(0700);
    unpack(lower, upper);
    assertThat(Files.isSymbolicLink(root.resolve("evil"))).isFalse();
    assertThat(Files.readString(root.resolve("evil2"))).isEqualTo("mine too");
    assertThat(Files.isDirectory(root.resolve("evildir"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void hardLinkClimbingOutIsRefused() {
    TarBuilder layer = new TarBuilder();
    layer.hardlink("shadow", "../../../outside/etc/shadow");
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("'shadow'");
    // An absolute target names the image's own file, which this root does not have.
    TarBuilder absolute = new TarBuilder();
    absolute.hardlink("shadow", outside.resolve("etc/shadow").toString());
    assertThatThrownBy(() -> unpack(absolute))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("does not exist");
    assertThat(root.resolve("shadow")).doesNotExist();
  }

  @Test
  void aDirectoryReplacedByASymlinkLaterInTheLayerGetsNoModeOrTimeThroughIt() throws IOException {
    // The directory entries' modes and times are applied at the end of the layer; by then "x" is a
    // symlink to the outside, and "x/dir" would name the outside's "dir" (0755 there).
    TarBuilder layer = new TarBuilder();
    layer.dir("x");
    layer.dir("x/dir").mode(0777).mtime(86_400);
    layer.file("x/dir/file", "made inside, then orphaned").mtime(86_400);
    layer.symlink("x", outside.toString());
    unpack(layer);
    assertThat(Files.isSymbolicLink(root.resolve("x"))).isTrue();

    TarBuilder relative = new TarBuilder();
    relative.dir("y");
    relative.dir("y/sub").mode(0700);
    relative.symlink("y", relativeOutside() + "/dir");
    unpack(relative);
  }

  @Test
  void hardLinkThroughASymlinkedParentStaysInside() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.symlink("etclink", relativeOutside() + "/etc");
    layer.hardlink("shadow", "etclink/shadow");
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("does not exist");

    TarBuilder abs = new TarBuilder();
    abs.symlink("etcabs", outside.resolve("etc").toString());
    abs.hardlink("shadow2", "etcabs/shadow");
    assertThatThrownBy(() -> unpack(abs)).isInstanceOf(InvalidLayerException.class);
  }

  @Test
  void hardLinkThroughSymlinkedParentFindsTheFileInRoot() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.file("etc/shadow", "root's own");
    layer.symlink("etclink", "../../../../../etc");
    layer.hardlink("shadow", "etclink/shadow");
    unpack(layer);
    assertThat(Files.getAttribute(root.resolve("shadow"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("etc/shadow"), "unix:ino"));
  }

  @Test
  void whiteoutsThroughSymlinksToOutside() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.symlink("rel", relativeOutside());
    lower.symlink("abs", outside.toString());
    lower.symlink("slash", "/");
    TarBuilder upper = new TarBuilder();
    upper.whiteout("rel/file");
    upper.whiteout("rel/dir");
    upper.opaque("rel/etc");
    upper.whiteout("abs/file");
    upper.opaque("abs");
    upper.whiteout("slash/rel");
    unpack(lower, upper);
    // Whiteouts resolved inside root: "slash/rel" removed root/rel itself.
    assertThat(Files.exists(root.resolve("rel"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.isSymbolicLink(root.resolve("abs"))).isTrue();
  }

  @Test
  void whiteoutOfASymlinkToADirectoryRemovesOnlyTheLink() throws IOException {
    TarBuilder lower = new TarBuilder();
    lower.symlink("outdir", relativeOutside() + "/dir");
    lower.symlink("outabs", outside.resolve("dir").toString());
    lower.dir("d");
    lower.symlink("d/link", outside.toString());
    TarBuilder upper = new TarBuilder();
    upper.whiteout("outdir");
    upper.whiteout("outabs");
    upper.whiteout("d");
    unpack(lower, upper);
    try (var list = Files.list(root)) {
      assertThat(list).isEmpty();
    }
  }

  @Test
  void symlinkLoopsAreRefused() {
    TarBuilder layer = new TarBuilder();
    layer.symlink("loop1", "loop2");
    layer.symlink("loop2", "loop1");
    layer.file("loop1/x", "never");
    assertThatThrownBy(() -> unpack(layer))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("'loop1/x'");
  }

  @Test
  void rootCannotBeReplacedBySymlink() {
    TarBuilder layer = new TarBuilder();
    layer.symlink(".", outside.toString());
    assertThatThrownBy(() -> unpack(layer)).isInstanceOf(UnsafeLayerException.class);
  }

  @Test
  void dirEntryNamedThroughSymlinkToOutside() throws IOException {
    TarBuilder layer = new TarBuilder();
    layer.symlink("o", relativeOutside());
    layer.dir("o/etc").mode(0700).owner(5, 5);
    layer.symlink("o/dir/sub/data", "/etc/passwd");
    unpack(layer);
    assertThat(Files.readSymbolicLink(root.resolve("outside/dir/sub/data"))).isEqualTo(Paths.get("/etc/passwd"));
  }
}
