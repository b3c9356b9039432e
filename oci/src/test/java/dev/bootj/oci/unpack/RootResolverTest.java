package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.UnsafeLayerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootResolverTest {

  @TempDir Path temp;
  private Path root;
  private RootResolver resolver;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectory(temp.resolve("root"));
    Files.createDirectories(temp.resolve("outside/etc"));
    resolver = new RootResolver(root);
  }

  private RootedPath resolve(String name) throws IOException {
    return resolver.resolve(RootResolver.components(name, name), name);
  }

  private void symlink(String name, String target) throws IOException {
    Files.createSymbolicLink(root.resolve(name), Paths.get(target));
    resolver.forget();
  }

  @Test
  void componentsDropDotsAndApplyDotDotLexically() throws UnsafeLayerException {
    assertThat(RootResolver.components("./usr/bin/", "e")).containsExactly("usr", "bin");
    assertThat(RootResolver.components("usr//./lib/../bin", "e")).containsExactly("usr", "bin");
    assertThat(RootResolver.components("./", "e")).isEmpty();
    assertThat(RootResolver.components(".", "e")).isEmpty();
    assertThat(RootResolver.components("a/..", "e")).isEmpty();
  }

  @Test
  void componentsRefuseEscapes() {
    assertThatThrownBy(() -> RootResolver.components("../../x", "../../x"))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("'../../x'");
    assertThatThrownBy(() -> RootResolver.components("a/../../x", "a/../../x"))
        .isInstanceOf(UnsafeLayerException.class);
    assertThatThrownBy(() -> RootResolver.components("/../etc/passwd", "/../etc/passwd"))
        .isInstanceOf(UnsafeLayerException.class);
  }

  @Test
  void componentsReadNamesAsContainerdAndUmociDo() throws UnsafeLayerException {
    assertThat(RootResolver.components("/etc/passwd", "e")).containsExactly("etc", "passwd");
    assertThat(RootResolver.components("./etc/passwd", "e")).containsExactly("etc", "passwd");
    assertThat(RootResolver.components("//etc//./passwd/", "e")).containsExactly("etc", "passwd");
    assertThat(RootResolver.components("/", "e")).isEmpty();
    assertThat(RootResolver.components(".", "e")).isEmpty();
    assertThat(RootResolver.components("./", "e")).isEmpty();
  }

  @Test
  void plainDirectories() throws IOException {
    Files.createDirectories(root.resolve("usr/bin"));
    RootedPath path = resolve("usr/bin");
    assertThat(path.absolute()).isEqualTo(root.resolve("usr/bin"));
    assertThat(path.relative()).isEqualTo("usr/bin");
    assertThat(resolve("").isRoot()).isTrue();
  }

  @Test
  void missingComponentsResolveLexically() throws IOException {
    assertThat(resolve("no/such/dir").relative()).isEqualTo("no/such/dir");
  }

  @Test
  void symlinkToSlashStaysInRoot() throws IOException {
    symlink("link", "/");
    assertThat(resolve("link/etc").absolute()).isEqualTo(root.resolve("etc"));
    assertThat(resolve("link/etc").relative()).isEqualTo("etc");
  }

  @Test
  void absoluteTargetsAreReRooted() throws IOException {
    Files.createDirectories(root.resolve("usr/lib"));
    symlink("lib", "/usr/lib");
    assertThat(resolve("lib").absolute()).isEqualTo(root.resolve("usr/lib"));
    symlink("escape", temp.resolve("outside").toString());
    assertThat(resolve("escape/etc").absolute())
        .isEqualTo(root.resolve(temp.resolve("outside/etc").toString().substring(1)));
  }

  @Test
  void dotDotInTargetsIsClampedAtRoot() throws IOException {
    symlink("up", "../../..");
    assertThat(resolve("up/etc").absolute()).isEqualTo(root.resolve("etc"));
    Files.createDirectories(root.resolve("a/b"));
    Files.createSymbolicLink(root.resolve("a/b/up2"), Paths.get("../../../../../a"));
    assertThat(resolve("a/b/up2/b").absolute()).isEqualTo(root.resolve("a/b"));
  }

  @Test
  void relativeChains() throws IOException {
    Files.createDirectories(root.resolve("real/dir"));
    symlink("one", "two");
    symlink("two", "real");
    assertThat(resolve("one/dir").absolute()).isEqualTo(root.resolve("real/dir"));
  }

  @Test
  void dotDotAfterMissingComponentStillFollowsLinks() throws IOException {
    symlink("etc", "/");
    assertThat(resolve("missing/../etc/x").absolute()).isEqualTo(root.resolve("x"));
  }

  @Test
  void loopsAreRefused() throws IOException {
    symlink("a", "b");
    symlink("b", "a");
    assertThatThrownBy(() -> resolve("a/x"))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("symbolic links");
    symlink("self", "self/x");
    assertThatThrownBy(() -> resolve("self/y")).isInstanceOf(UnsafeLayerException.class);
  }

  @Test
  void longButFiniteChainsAreFollowed() throws IOException {
    Files.createDirectory(root.resolve("end"));
    symlink("l0", "end");
    for (int i = 1; i < 200; i++) {
      symlink("l" + i, "l" + (i - 1));
    }
    assertThat(resolve("l199").absolute()).isEqualTo(root.resolve("end"));
  }

  @Test
  void fileAsParentResolvesToAMissingPath() throws IOException {
    Files.writeString(root.resolve("file"), "x");
    RootedPath path = resolve("file/sub");
    assertThat(RootResolver.lstatOrNull(path.absolute())).isNull();
  }

  @Test
  void cacheIsDroppedWhenTheTreeChanges() throws IOException {
    Files.createDirectories(root.resolve("d"));
    assertThat(resolve("d").absolute()).isEqualTo(root.resolve("d"));
    Files.delete(root.resolve("d"));
    symlink("d", "/other");
    assertThat(resolve("d").absolute()).isEqualTo(root.resolve("other"));
  }

  @Test
  void childIsNeverFollowed() throws IOException {
    symlink("link", "/etc");
    RootedPath parent = resolve("");
    assertThat(parent.child("link").absolute()).isEqualTo(root.resolve("link"));
    assertThat(List.of(parent.child("link").relative())).containsExactly("link");
  }
}
