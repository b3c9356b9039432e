package dev.bootj.oci.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSnapshotTest {

  @TempDir Path temp;

  private Path tree(String name) throws IOException {
    Path root = Files.createDirectory(temp.resolve(name));
    Files.createDirectory(root.resolve("d"));
    Files.writeString(root.resolve("d/f"), "content");
    Files.createLink(root.resolve("d/h"), root.resolve("d/f"));
    Files.createSymbolicLink(root.resolve("l"), Paths.get("d/f"));
    PosixCalls.setXattr(root.resolve("d/f"), "user.x", new byte[] {1, 2});
    for (String p : new String[] {"d/f", "d", "l"}) {
      PosixCalls.setTimes(root.resolve(p), 1000, 5);
    }
    return root;
  }

  @Test
  void identicalTreesHaveNoDifferences() throws IOException {
    TreeSnapshot a = TreeSnapshot.capture(tree("a"));
    TreeSnapshot b = TreeSnapshot.capture(tree("b"));
    assertThat(a.diff(b)).isEmpty();
    assertThat(a.nodes().keySet()).containsExactly("d", "d/f", "d/h", "l");
    assertThat(a.node("d/h").hardLinkGroup()).isEqualTo("d/f");
    assertThat(a.node("d/f").xattrs()).containsEntry("user.x", "0102");
    assertThat(a.node("l").linkTarget()).isEqualTo("d/f");
  }

  @Test
  void everyKindOfDifferenceIsReported() throws IOException {
    Path a = tree("a");
    Path b = tree("b");
    Files.writeString(b.resolve("d/f"), "other!!");
    PosixCalls.chmod(b.resolve("d"), 0700);
    PosixCalls.setXattr(b.resolve("d/f"), "user.x", new byte[] {3});
    Files.delete(b.resolve("d/h"));
    Files.writeString(b.resolve("d/h"), "content");
    Files.setLastModifiedTime(b.resolve("d/f"), FileTime.from(Instant.ofEpochSecond(2000)));
    Files.setLastModifiedTime(b.resolve("d"), FileTime.from(Instant.ofEpochSecond(1000, 5)));
    Files.delete(b.resolve("l"));
    PosixCalls.symlink("d//f", b.resolve("l"));
    Files.writeString(b.resolve("extra"), "");

    assertThat(TreeSnapshot.capture(a).diff(TreeSnapshot.capture(b)))
        .anyMatch(s -> s.startsWith("d: mode"))
        .anyMatch(s -> s.startsWith("d/f: sha256"))
        .anyMatch(s -> s.startsWith("d/f: xattrs"))
        .anyMatch(s -> s.startsWith("d/f: mtime"))
        .anyMatch(s -> s.startsWith("d/h: hard link group"))
        .anyMatch(s -> s.startsWith("l: symlink target"))
        .anyMatch(s -> s.startsWith("extra: only in the other tree"));
  }
}
