package dev.bootj.system.etc;

import static dev.bootj.system.etc.EtcTrees.file;
import static dev.bootj.system.etc.EtcTrees.mode;
import static dev.bootj.system.etc.EtcTrees.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEtcChangesTest {

  @TempDir Path dir;

  @Test
  void listsAddedModifiedAndDeletedPathsSortedWithWhatDiffers() throws IOException {
    EtcTrees trees = new EtcTrees(dir);
    trees.pristine("same.conf", "same\n");
    trees.pristine("edited.conf", "1\n");
    file(trees.current, "edited.conf", "2\n");
    mode(trees.current, "edited.conf", 0600);
    file(trees.old, "removed.d/x", "x\n");
    file(trees.current, "a-added.conf", "new\n");
    symlink(trees.old, "link", "one");
    symlink(trees.current, "link", "two");
    file(trees.old, "typed", "was a file\n");
    Files.createDirectory(trees.current.resolve("typed"));

    List<LocalChange> changes = new LocalEtcChanges().list(trees.old, trees.current);

    assertThat(changes).extracting(LocalChange::describe).containsExactly(
        "added /etc/a-added.conf",
        "modified /etc/edited.conf (content, mode)",
        "modified /etc/link (symlink target)",
        "deleted /etc/removed.d",
        "deleted /etc/removed.d/x",
        "modified /etc/typed (type)");
    assertThat(changes.get(1).kind()).isEqualTo(LocalChange.Kind.MODIFIED);
    assertThat(changes.get(1).differences())
        .containsExactly(EtcEntry.Difference.CONTENT, EtcEntry.Difference.MODE);
  }

  @Test
  void aSystemIsReadFromItsRootAndOneWithoutUsrEtcIsRefused() throws IOException {
    Path root = dir.resolve("root");
    file(root, "usr/etc/hostname", "tiny\n");
    file(root, "etc/hostname", "edited\n");
    assertThat(new LocalEtcChanges().ofSystem(root)).extracting(LocalChange::describe)
        .containsExactly("modified /etc/hostname (content)");

    Path other = Files.createDirectories(dir.resolve("other/etc"));
    assertThatThrownBy(() -> new LocalEtcChanges().ofSystem(other.getParent()))
        .isInstanceOf(BootjException.class)
        .hasMessage(other.getParent().resolve("usr/etc") + " does not exist: this system was not installed by bootj,"
            + " so there is no pristine /etc to compare with");
  }

  @Test
  void sameContentWithADifferentTimeIsNoChange() throws IOException {
    EtcTrees trees = new EtcTrees(dir);
    trees.pristine("touched.conf", "same\n");
    Files.setLastModifiedTime(trees.current.resolve("touched.conf"), FileTime.fromMillis(0));

    assertThat(new LocalEtcChanges().list(trees.old, trees.current)).isEmpty();
  }

  @Test
  void sameSizeDifferentBytesIsAContentChange() throws IOException {
    EtcTrees trees = new EtcTrees(dir);
    trees.pristine("f", "abc\n");
    file(trees.current, "f", "abd\n");

    assertThat(new LocalEtcChanges().list(trees.old, trees.current))
        .extracting(LocalChange::describe).containsExactly("modified /etc/f (content)");
  }

  @Test
  void pathsSortDirectoryBeforeItsContentsAndContentsTogether() {
    List<String> sorted = new java.util.ArrayList<>(List.of("a-b", "a/b", "a", "a/b/c", "a.d", ""));
    sorted.sort(EtcTree::compareRelativePaths);

    assertThat(sorted).containsExactly("", "a", "a/b", "a/b/c", "a-b", "a.d");
  }
}
