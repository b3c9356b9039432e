package dev.bootj.system.etc;

import static dev.bootj.system.etc.EtcTrees.dir;
import static dev.bootj.system.etc.EtcTrees.exists;
import static dev.bootj.system.etc.EtcTrees.file;
import static dev.bootj.system.etc.EtcTrees.mode;
import static dev.bootj.system.etc.EtcTrees.modeOf;
import static dev.bootj.system.etc.EtcTrees.read;
import static dev.bootj.system.etc.EtcTrees.symlink;
import static dev.bootj.system.etc.EtcTrees.xattr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.BootjException;
import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcMergeTest {

  @TempDir Path dir;
  EtcTrees trees;

  @BeforeEach
  void createTrees() throws IOException {
    trees = new EtcTrees(dir);
  }

  @Test
  void untouchedFileTakesTheNewImagesVersion() throws IOException {
    trees.pristine("hostname.conf", "v1\n");
    file(trees.fresh, "hostname.conf", "v2\n");

    Path merged = trees.merge();

    assertThat(read(merged, "hostname.conf")).isEqualTo("v2\n");
    assertThat(trees.plan().entry("hostname.conf").reason())
        .isEqualTo(EtcMergePlan.Reason.NEW_IMAGE);
  }

  @Test
  void modifiedContentKeepsTheUsersVersion() throws IOException {
    file(trees.old, "ssh/sshd_config", "PermitRootLogin no\n");
    file(trees.current, "ssh/sshd_config", "PermitRootLogin yes\n");
    file(trees.fresh, "ssh/sshd_config", "PermitRootLogin no\nNewOption 1\n");

    Path merged = trees.merge();

    assertThat(read(merged, "ssh/sshd_config")).isEqualTo("PermitRootLogin yes\n");
    assertThat(trees.plan().entry("ssh/sshd_config").reason())
        .isEqualTo(EtcMergePlan.Reason.USER_MODIFIED);
  }

  @Test
  void modeOnlyChangeKeepsTheUsersFileWholeContentAndMode() throws IOException {
    trees.pristine("sudoers", "root ALL=(ALL) ALL\n");
    mode(trees.current, "sudoers", 0440);
    file(trees.fresh, "sudoers", "root ALL=(ALL) ALL\n%wheel ALL=(ALL) ALL\n");

    Path merged = trees.merge();

    // The user's version is the unit kept: its (old) content along with its mode.
    assertThat(read(merged, "sudoers")).isEqualTo("root ALL=(ALL) ALL\n");
    assertThat(modeOf(merged, "sudoers")).isEqualTo(0440);
    assertThat(trees.plan().localChanges()).extracting(LocalChange::describe)
        .containsExactly("modified /etc/sudoers (mode)");
  }

  @Test
  void ownerChangeKeepsTheUsersVersion() throws IOException {
    assumeTrue(PosixCalls.effectiveUid() == 0, "changing owners needs root");
    trees.pristine("shadow", "root:*:1::::::\n");
    PosixCalls.lchown(trees.current.resolve("shadow"), 0, 42);
    file(trees.fresh, "shadow", "root:!:2::::::\n");

    Path merged = trees.merge();

    assertThat(read(merged, "shadow")).isEqualTo("root:*:1::::::\n");
    assertThat(Files.getAttribute(merged.resolve("shadow"), "unix:gid")).isEqualTo(42);
    assertThat(trees.plan().localChanges()).extracting(LocalChange::describe)
        .containsExactly("modified /etc/shadow (owner)");
  }

  @Test
  void retargetedSymlinkIsKeptAndAnUntouchedOneFollowsTheNewImage() throws IOException {
    symlink(trees.old, "localtime", "../usr/share/zoneinfo/UTC");
    symlink(trees.current, "localtime", "../usr/share/zoneinfo/Europe/Berlin");
    symlink(trees.fresh, "localtime", "../usr/share/zoneinfo/Etc/UTC");
    symlink(trees.old, "resolv.conf", "../run/systemd/resolve/stub-resolv.conf");
    symlink(trees.current, "resolv.conf", "../run/systemd/resolve/stub-resolv.conf");
    symlink(trees.fresh, "resolv.conf", "../run/systemd/resolve/resolv.conf");

    Path merged = trees.merge();

    assertThat(PosixCalls.readlink(merged.resolve("localtime")))
        .isEqualTo("../usr/share/zoneinfo/Europe/Berlin");
    assertThat(PosixCalls.readlink(merged.resolve("resolv.conf")))
        .isEqualTo("../run/systemd/resolve/resolv.conf");
    assertThat(trees.plan().localChanges()).extracting(LocalChange::describe)
        .containsExactly("modified /etc/localtime (symlink target)");
  }

  @Test
  void symlinkTargetsAreCopiedByteForByte() throws IOException {
    symlink(trees.fresh, "odd", "a//b/./c/");

    Path merged = trees.merge();

    assertThat(PosixCalls.readlink(merged.resolve("odd"))).isEqualTo("a//b/./c/");
  }

  @Test
  void fileTheUserDeletedStaysDeletedEvenWhenTheNewImageChangedIt() throws IOException {
    file(trees.old, "motd", "welcome v1\n");
    file(trees.fresh, "motd", "welcome v2\n");

    Path merged = trees.merge();

    assertThat(exists(merged, "motd")).isFalse();
    assertThat(trees.plan().localChanges()).extracting(LocalChange::describe)
        .containsExactly("deleted /etc/motd");
  }

  @Test
  void directoryTheUserDeletedStaysDeletedWithWhatTheNewImageAddedInside() throws IOException {
    trees.pristine("cron.d/other", "x\n");
    Files.delete(trees.current.resolve("cron.d/other"));
    Files.delete(trees.current.resolve("cron.d"));
    file(trees.fresh, "cron.d/other", "x\n");
    file(trees.fresh, "cron.d/added-in-v2", "y\n");

    Path merged = trees.merge();

    assertThat(exists(merged, "cron.d")).isFalse();
  }

  @Test
  void fileAndDirectoryTheUserAddedAreCarriedOver() throws IOException {
    file(trees.current, "myapp.conf", "port=8080\n");
    file(trees.current, "myapp.d/10-local.conf", "debug=1\n");
    symlink(trees.current, "myapp.d/current", "10-local.conf");
    mode(trees.current, "myapp.d", 0750);
    file(trees.fresh, "os-release", "ID=bootj\n");

    Path merged = trees.merge();

    assertThat(read(merged, "myapp.conf")).isEqualTo("port=8080\n");
    assertThat(read(merged, "myapp.d/10-local.conf")).isEqualTo("debug=1\n");
    assertThat(PosixCalls.readlink(merged.resolve("myapp.d/current"))).isEqualTo("10-local.conf");
    assertThat(modeOf(merged, "myapp.d")).isEqualTo(0750);
    assertThat(read(merged, "os-release")).isEqualTo("ID=bootj\n");
    assertThat(trees.plan().entry("myapp.d").reason()).isEqualTo(EtcMergePlan.Reason.USER_ADDED);
  }

  @Test
  void directoryBothTheUserAndTheNewImageAddedKeepsTheUsersMetadataAndMergesContents()
      throws IOException {
    file(trees.current, "foo.d/mine.conf", "mine\n");
    mode(trees.current, "foo.d", 0700);
    file(trees.fresh, "foo.d/image.conf", "image\n");
    mode(trees.fresh, "foo.d", 0755);

    Path merged = trees.merge();

    assertThat(modeOf(merged, "foo.d")).isEqualTo(0700);
    assertThat(read(merged, "foo.d/mine.conf")).isEqualTo("mine\n");
    assertThat(read(merged, "foo.d/image.conf")).isEqualTo("image\n");
  }

  @Test
  void fileTheNewImageRemovedAndTheUserDidNotTouchIsGone() throws IOException {
    trees.pristine("legacy.conf", "old\n");

    Path merged = trees.merge();

    assertThat(exists(merged, "legacy.conf")).isFalse();
  }

  @Test
  void fileTheNewImageRemovedButTheUserModifiedIsKept() throws IOException {
    file(trees.old, "legacy.conf", "old\n");
    file(trees.current, "legacy.conf", "tuned\n");

    Path merged = trees.merge();

    assertThat(read(merged, "legacy.conf")).isEqualTo("tuned\n");
  }

  @Test
  void fileTheNewImageAddsIsPresent() throws IOException {
    file(trees.fresh, "new-in-v2.conf", "hello\n");

    Path merged = trees.merge();

    assertThat(read(merged, "new-in-v2.conf")).isEqualTo("hello\n");
  }

  @Test
  void nestedDirectoriesAreMergedPathByPath() throws IOException {
    trees.pristine("a/b/c/untouched.conf", "1\n");
    trees.pristine("a/b/c/edited.conf", "1\n");
    file(trees.current, "a/b/c/edited.conf", "mine\n");
    file(trees.current, "a/b/added/deep.conf", "mine\n");
    file(trees.fresh, "a/b/c/untouched.conf", "2\n");
    file(trees.fresh, "a/b/c/edited.conf", "2\n");
    file(trees.fresh, "a/b/c/d/new.conf", "2\n");

    Path merged = trees.merge();

    assertThat(read(merged, "a/b/c/untouched.conf")).isEqualTo("2\n");
    assertThat(read(merged, "a/b/c/edited.conf")).isEqualTo("mine\n");
    assertThat(read(merged, "a/b/added/deep.conf")).isEqualTo("mine\n");
    assertThat(read(merged, "a/b/c/d/new.conf")).isEqualTo("2\n");
  }

  @Test
  void directoryTheNewImageRemovedIsKeptWhenItHoldsTheUsersChanges() throws IOException {
    trees.pristine("old.d/shipped.conf", "1\n");
    trees.pristine("old.d/edited.conf", "1\n");
    file(trees.current, "old.d/edited.conf", "mine\n");
    mode(trees.old, "old.d", 0750);
    mode(trees.current, "old.d", 0750);

    Path merged = trees.merge();

    assertThat(read(merged, "old.d/edited.conf")).isEqualTo("mine\n");
    assertThat(exists(merged, "old.d/shipped.conf")).isFalse();
    assertThat(modeOf(merged, "old.d")).isEqualTo(0750);
    assertThat(trees.plan().entry("old.d").reason())
        .isEqualTo(EtcMergePlan.Reason.HOLDS_USER_CHANGES);
  }

  @Test
  void directoryTheUserChangedKeepsItsMetadataAndMergesItsContents() throws IOException {
    trees.pristine("private/a.conf", "1\n");
    mode(trees.old, "private", 0755);
    mode(trees.current, "private", 0700);
    file(trees.fresh, "private/a.conf", "2\n");
    file(trees.fresh, "private/b.conf", "2\n");
    mode(trees.fresh, "private", 0755);

    Path merged = trees.merge();

    assertThat(modeOf(merged, "private")).isEqualTo(0700);
    assertThat(read(merged, "private/a.conf")).isEqualTo("2\n");
    assertThat(read(merged, "private/b.conf")).isEqualTo("2\n");
  }

  @Test
  void untouchedPathMayChangeTypeFreely() throws IOException {
    trees.pristine("was-file", "x\n");
    dir(trees.old, "was-dir");
    dir(trees.current, "was-dir");
    file(trees.old, "was-dir/x", "x\n");
    file(trees.current, "was-dir/x", "x\n");
    file(trees.fresh, "was-file/now-inside", "y\n");
    symlink(trees.fresh, "was-dir", "elsewhere");

    Path merged = trees.merge();

    assertThat(read(merged, "was-file/now-inside")).isEqualTo("y\n");
    assertThat(PosixCalls.readlink(merged.resolve("was-dir"))).isEqualTo("elsewhere");
  }

  @Test
  void userChangedXattrIsDetectedAndKept() throws IOException {
    trees.pristine("labelled.conf", "same\n");
    file(trees.fresh, "labelled.conf", "new\n");
    assumeXattrsSupported(trees.current.resolve("labelled.conf"));
    xattr(trees.current, "labelled.conf", "user.bootj.test", "mine");

    Path merged = trees.merge();

    assertThat(trees.plan().localChanges()).extracting(LocalChange::describe)
        .containsExactly("modified /etc/labelled.conf (xattrs)");
    assertThat(read(merged, "labelled.conf")).isEqualTo("same\n");
    assertThat(PosixCalls.getXattr(merged.resolve("labelled.conf"), "user.bootj.test"))
        .isEqualTo("mine".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void xattrsOfTheNewImageAreCopied() throws IOException {
    file(trees.fresh, "x.conf", "x\n");
    assumeXattrsSupported(trees.fresh.resolve("x.conf"));
    xattr(trees.fresh, "x.conf", "user.one", "1");
    xattr(trees.fresh, "x.conf", "user.two", "");

    Path merged = trees.merge();

    assertThat(PosixCalls.listXattrs(merged.resolve("x.conf")))
        .contains("user.one", "user.two");
    assertThat(PosixCalls.getXattr(merged.resolve("x.conf"), "user.two")).isEmpty();
  }

  @Test
  void fullModeOwnerAndTimesAreCopied() throws IOException {
    file(trees.fresh, "setuid-helper", "#!/bin/sh\n");
    mode(trees.fresh, "setuid-helper", 04755);
    dir(trees.fresh, "readonly.d");
    file(trees.fresh, "readonly.d/inner", "i\n");
    mode(trees.fresh, "readonly.d", 0555);
    FileTime time = FileTime.from(Instant.parse("2020-01-02T03:04:05.123456789Z"));
    Files.setLastModifiedTime(trees.fresh.resolve("setuid-helper"), time);
    Files.setLastModifiedTime(trees.fresh.resolve("readonly.d"), time);

    Path merged = trees.merge();

    assertThat(modeOf(merged, "setuid-helper")).isEqualTo(04755);
    assertThat(modeOf(merged, "readonly.d")).isEqualTo(0555);
    assertThat(read(merged, "readonly.d/inner")).isEqualTo("i\n");
    assertThat(Files.getLastModifiedTime(merged.resolve("setuid-helper"))).isEqualTo(time);
    assertThat(Files.getLastModifiedTime(merged.resolve("readonly.d"))).isEqualTo(time);
    assertThat(Files.getAttribute(merged.resolve("setuid-helper"), "unix:uid"))
        .isEqualTo(Files.getAttribute(trees.fresh.resolve("setuid-helper"), "unix:uid"));
    mode(merged, "readonly.d", 0755); // let @TempDir clean up
  }

  @Test
  void hardLinkGroupsStayLinked() throws IOException {
    file(trees.fresh, "pam.d/system-auth", "auth required pam_unix.so\n");
    Files.createLink(trees.fresh.resolve("pam.d/password-auth"),
        trees.fresh.resolve("pam.d/system-auth"));
    file(trees.current, "mine/a", "a\n");
    Files.createDirectories(trees.current.resolve("mine2"));
    Files.createLink(trees.current.resolve("mine2/b"), trees.current.resolve("mine/a"));

    Path merged = trees.merge();

    assertThat(Files.isSameFile(merged.resolve("pam.d/system-auth"),
        merged.resolve("pam.d/password-auth"))).isTrue();
    assertThat(Files.isSameFile(merged.resolve("mine/a"), merged.resolve("mine2/b"))).isTrue();
    assertThat(Files.isSameFile(merged.resolve("mine/a"), trees.current.resolve("mine/a")))
        .isFalse();
  }

  @Test
  void symlinksOutOfTheTreesAreNeverFollowed(@TempDir Path outside) throws IOException {
    file(outside, "secret", "outside\n");
    // A user's symlink to a directory outside: carried as a link, its target not read.
    symlink(trees.current, "linked-dir", outside.toString());
    // A symlink the image ships, pointing out of the tree, with a pristine counterpart.
    symlink(trees.old, "mtab", "../proc/self/mounts");
    symlink(trees.current, "mtab", "../proc/self/mounts");
    symlink(trees.fresh, "mtab", "../proc/self/mounts");

    EtcMergePlan plan = trees.plan();
    Path merged = trees.merge();

    assertThat(plan.entries()).extracting(EtcMergePlan.PlannedEntry::path)
        .containsExactly("", "linked-dir", "mtab");
    assertThat(Files.isSymbolicLink(merged.resolve("linked-dir"))).isTrue();
    assertThat(PosixCalls.readlink(merged.resolve("linked-dir"))).isEqualTo(outside.toString());
    try (var listing = Files.list(outside)) {
      assertThat(listing).containsExactly(outside.resolve("secret"));
    }
  }

  @Test
  void aUserSymlinkWhereTheNewImageHasADirectoryIsAConflictNotAWayOut(@TempDir Path outside)
      throws IOException {
    trees.pristine("conf.d/a", "1\n");
    Files.delete(trees.current.resolve("conf.d/a"));
    Files.delete(trees.current.resolve("conf.d"));
    symlink(trees.current, "conf.d", outside.toString());
    file(trees.fresh, "conf.d/a", "2\n");

    assertThatThrownBy(trees::merge).isInstanceOf(EtcMergeConflict.class)
        .hasMessageContaining("/etc/conf.d: you changed this symlink, but the new image has a"
            + " directory here");
    try (var listing = Files.list(outside)) {
      assertThat(listing).isEmpty();
    }
    assertThat(exists(trees.target, "")).isFalse();
  }

  @Test
  void everyConflictIsListedAndNothingIsWritten() throws IOException {
    // 1. The user changed a file that is a directory in the new image.
    trees.pristine("became-dir", "x\n");
    file(trees.current, "became-dir", "edited\n");
    file(trees.fresh, "became-dir/inner", "i\n");
    // 2. The user added a file where the new image now has a directory.
    file(trees.current, "added-file", "mine\n");
    file(trees.fresh, "added-file/inner", "i\n");
    // 3. The user added a directory where the new image has a file.
    file(trees.current, "added-dir/mine", "mine\n");
    file(trees.fresh, "added-dir", "image file\n");
    // 4. The user changed a directory's mode and the new image has a symlink there.
    trees.pristine("moded-dir/f", "f\n");
    mode(trees.current, "moded-dir", 0700);
    symlink(trees.fresh, "moded-dir", "elsewhere");
    // 5. The user edited a file inside a directory the new image replaces with a file.
    trees.pristine("replaced.d/edited", "1\n");
    file(trees.current, "replaced.d/edited", "2\n");
    file(trees.fresh, "replaced.d", "now a file\n");
    // Not a conflict: an ordinary change alongside.
    trees.pristine("fine.conf", "1\n");
    file(trees.current, "fine.conf", "2\n");

    assertThatThrownBy(trees::plan)
        .isInstanceOfSatisfying(EtcMergeConflict.class, conflict -> {
          assertThat(conflict.kind()).isEqualTo(BootjException.Kind.SYSTEM);
          assertThat(conflict.conflicts()).hasSize(5);
          assertThat(conflict.conflicts()).satisfiesExactly(
              line -> assertThat(line).startsWith("/etc/added-dir: you added this directory,"
                  + " but the new image has a file here; to resolve, move your directory aside"),
              line -> assertThat(line).startsWith("/etc/added-file: you added this file, but the"
                  + " new image has a directory here; to resolve, move your file aside"),
              line -> assertThat(line).startsWith("/etc/became-dir: you changed this file, but"
                  + " the new image has a directory here").contains("/usr/etc/became-dir"),
              line -> assertThat(line).startsWith("/etc/moded-dir: you changed this directory,"
                  + " but the new image has a symlink here"),
              line -> assertThat(line).startsWith("/etc/replaced.d: the new image replaces this"
                  + " directory with a file, but you changed or added /etc/replaced.d/edited"
                  + " inside it"));
          assertThat(conflict.getMessage()).startsWith(
              "cannot merge /etc into the new image: 5 conflicts; nothing was changed\n");
        });
    assertThatThrownBy(trees::merge).isInstanceOf(EtcMergeConflict.class);
    assertThat(exists(trees.target, "")).isFalse();
  }

  @Test
  void userDeletionIsNeverAConflict() throws IOException {
    trees.pristine("gone", "x\n");
    Files.delete(trees.current.resolve("gone"));
    file(trees.fresh, "gone/now-a-directory", "y\n");

    Path merged = trees.merge();

    assertThat(exists(merged, "gone")).isFalse();
  }

  @Test
  void aSocketTheUserLeftIsAConflict() throws IOException {
    Path socketPath = trees.current.resolve("app.sock");
    try (var channel = java.nio.channels.ServerSocketChannel.open(
        java.net.StandardProtocolFamily.UNIX)) {
      channel.bind(java.net.UnixDomainSocketAddress.of(socketPath));
      assertThatThrownBy(trees::plan).isInstanceOf(EtcMergeConflict.class)
          .hasMessageContaining("/etc/app.sock: a socket cannot be copied");
    }
  }

  @Test
  void applyRefusesATargetThatIsNotEmpty() throws IOException {
    file(trees.fresh, "a", "a\n");
    file(trees.target, "leftover", "x\n");
    EtcMergePlan plan = trees.plan();

    assertThatThrownBy(() -> new EtcMerge().apply(plan, trees.target))
        .isInstanceOf(java.nio.file.DirectoryNotEmptyException.class);
  }

  @Test
  void applyWritesIntoAnEmptyExistingTarget() throws IOException {
    file(trees.fresh, "a", "a\n");
    Files.createDirectory(trees.target);

    new EtcMerge().apply(trees.plan(), trees.target);

    assertThat(read(trees.target, "a")).isEqualTo("a\n");
  }

  @Test
  void aTreeThatIsASymlinkIsRefused() throws IOException {
    Path linkedEtc = symlink(dir, "linked-etc", trees.current.toString());

    assertThatThrownBy(() -> new EtcMerge().plan(trees.old, linkedEtc, trees.fresh))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("is not a directory (a symlink is not accepted)");
  }

  static void assumeXattrsSupported(Path probe) {
    try {
      PosixCalls.setXattr(probe, "user.bootj.probe", new byte[] {1});
      PosixCalls.removeXattr(probe, "user.bootj.probe");
    } catch (PosixCalls.XattrException e) {
      assumeTrue(false, "this filesystem has no user xattrs: " + e.getMessage());
    }
  }

  @Test
  void fifosAndDeviceNodesAreRecreated() throws IOException {
    PosixCalls.mknod(trees.fresh.resolve("initctl"), PosixCalls.S_IFIFO, 0600, 0, 0);
    boolean root = PosixCalls.effectiveUid() == 0;
    if (root) {
      PosixCalls.mknod(trees.fresh.resolve("null-like"), PosixCalls.S_IFCHR, 0666, 1, 3);
      PosixCalls.mknod(trees.fresh.resolve("big-numbers"), PosixCalls.S_IFBLK, 0600, 259, 70000);
    }

    Path merged = trees.merge();

    assertThat(Files.getAttribute(merged.resolve("initctl"), "unix:mode"))
        .isEqualTo(PosixCalls.S_IFIFO | 0600);
    if (root) {
      for (String device : new String[] {"null-like", "big-numbers"}) {
        assertThat(Files.getAttribute(merged.resolve(device), "unix:rdev"))
            .isEqualTo(Files.getAttribute(trees.fresh.resolve(device), "unix:rdev"));
      }
    }
  }

  @Test
  void planListsTheRootFirstAndEveryDirectoryBeforeItsContents() throws IOException {
    file(trees.fresh, "b/c", "c\n");
    file(trees.fresh, "a-b", "x\n");
    file(trees.current, "a/z", "z\n");

    assertThat(trees.plan().entries()).extracting(EtcMergePlan.PlannedEntry::path)
        .containsExactly("", "a", "a/z", "a-b", "b", "b/c");
  }

  @Test
  void aHardLinkGroupTheUserSplitByEditingOneNameStaysSplit() throws IOException {
    for (Path tree : java.util.List.of(trees.old, trees.current, trees.fresh)) {
      file(tree, "pam.d/system-auth", "v1\n");
      Files.createLink(tree.resolve("pam.d/password-auth"), tree.resolve("pam.d/system-auth"));
    }
    // An editor that writes a new file and renames it over the old name breaks the link.
    Files.delete(trees.current.resolve("pam.d/password-auth"));
    file(trees.current, "pam.d/password-auth", "edited\n");

    Path merged = trees.merge();

    assertThat(read(merged, "pam.d/password-auth")).isEqualTo("edited\n");
    assertThat(read(merged, "pam.d/system-auth")).isEqualTo("v1\n");
    assertThat(Files.isSameFile(merged.resolve("pam.d/system-auth"),
        merged.resolve("pam.d/password-auth"))).isFalse();
  }
}
