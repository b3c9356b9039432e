package dev.bootj.system.etc;

import static dev.bootj.system.etc.EtcTrees.file;
import static dev.bootj.system.etc.EtcTrees.mode;
import static dev.bootj.system.etc.EtcTrees.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small but realistic /etc: an image v1 with a few dozen files, a machine that lived on it
 * (edits, additions, deletions), and an image v2 that changed, added and removed files.
 */
class EtcMergeRealisticTest {

  @TempDir Path dir;

  @Test
  void mergesALivedInEtcOntoTheNextImage() throws IOException {
    // /etc/shadow is mode 0 here, as on a real machine: only root reads it, and so only root merges it.
    assumeTrue(PosixCalls.isRoot(), "reading a mode-0 /etc/shadow needs root");
    EtcTrees trees = new EtcTrees(dir);
    Map<String, String> v1 = new TreeMap<>();
    v1.put("hostname", "localhost\n");
    v1.put("hosts", "127.0.0.1 localhost\n");
    v1.put("os-release", "VERSION_ID=1\n");
    v1.put("passwd", "root:x:0:0::/root:/bin/bash\n");
    v1.put("group", "root:x:0:\n");
    v1.put("shadow", "root:!::0:99999:7:::\n");
    v1.put("fstab", "# empty\n");
    v1.put("motd", "Welcome to v1\n");
    v1.put("issue", "bootj v1\n");
    v1.put("sudoers", "root ALL=(ALL) ALL\n");
    v1.put("ssh/sshd_config", "PermitRootLogin prohibit-password\n");
    v1.put("ssh/ssh_config", "Host *\n");
    v1.put("ssh/moduli", "moduli v1\n");
    v1.put("pam.d/login", "auth include system-auth\n");
    v1.put("pam.d/sshd", "auth include system-auth\n");
    v1.put("pam.d/su", "auth sufficient pam_rootok.so\n");
    v1.put("pam.d/system-auth", "auth required pam_unix.so\n");
    v1.put("systemd/journald.conf", "[Journal]\n");
    v1.put("systemd/logind.conf", "[Login]\n");
    v1.put("systemd/system.conf", "[Manager]\n");
    v1.put("systemd/network/10-eth.network", "[Match]\nName=eth*\n");
    v1.put("sysctl.d/10-defaults.conf", "kernel.sysrq = 16\n");
    v1.put("modprobe.d/blacklist.conf", "blacklist pcspkr\n");
    v1.put("profile", "export PATH=/usr/bin\n");
    v1.put("profile.d/lang.sh", "export LANG=C.UTF-8\n");
    v1.put("profile.d/legacy.sh", "# legacy\n");
    v1.put("cron.d/0hourly", "01 * * * * root run-parts /etc/cron.hourly\n");
    v1.put("xdg/autostart/agent.desktop", "[Desktop Entry]\n");
    v1.put("skel/.bashrc", "# bashrc\n");
    v1.put("skel/.profile", "# profile\n");
    for (Map.Entry<String, String> e : v1.entrySet()) {
      trees.pristine(e.getKey(), e.getValue());
    }
    for (Path tree : List.of(trees.old, trees.current)) {
      symlink(tree, "localtime", "../usr/share/zoneinfo/UTC");
      symlink(tree, "systemd/system/multi-user.target.wants/sshd.service",
          "/usr/lib/systemd/system/sshd.service");
      mode(tree, "shadow", 0);
    }

    // The machine's life on v1.
    file(trees.current, "hostname", "web-01\n");
    file(trees.current, "hosts", "127.0.0.1 localhost\n10.0.0.5 db\n");
    file(trees.current, "ssh/sshd_config", "PermitRootLogin no\n");
    mode(trees.current, "sudoers", 0440);
    Files.delete(trees.current.resolve("motd"));
    Files.delete(trees.current.resolve("cron.d/0hourly"));
    Files.delete(trees.current.resolve("cron.d"));
    Files.delete(trees.current.resolve("systemd/system/multi-user.target.wants/sshd.service"));
    Files.delete(trees.current.resolve("pam.d/su"));
    Files.delete(trees.current.resolve("xdg/autostart/agent.desktop"));
    Files.delete(trees.current.resolve("xdg/autostart"));
    Files.delete(trees.current.resolve("xdg"));
    file(trees.current, "sysctl.d/99-local.conf", "vm.swappiness = 10\n");
    file(trees.current, "profile.d/legacy.sh", "# legacy, tuned\n");
    file(trees.current, "myapp/app.yaml", "listen: 8080\n");
    file(trees.current, "myapp/secrets/token", "s3cret\n");
    mode(trees.current, "myapp/secrets", 0700);
    Files.delete(trees.current.resolve("localtime"));
    symlink(trees.current, "localtime", "../usr/share/zoneinfo/Europe/Paris");
    symlink(trees.current, "systemd/system/multi-user.target.wants/myapp.service",
        "/etc/systemd/system/myapp.service");
    file(trees.current, "systemd/system/myapp.service", "[Service]\nExecStart=/opt/myapp\n");

    // Image v2: v1 with some files changed, added and removed.
    Map<String, String> v2 = new TreeMap<>(v1);
    v2.put("os-release", "VERSION_ID=2\n");
    v2.put("motd", "Welcome to v2\n");
    v2.put("issue", "bootj v2\n");
    v2.put("hostname", "localhost.localdomain\n");
    v2.put("ssh/sshd_config", "PermitRootLogin prohibit-password\nUsePAM yes\n");
    v2.put("ssh/moduli", "moduli v2\n");
    v2.put("pam.d/su", "auth sufficient pam_rootok.so\nauth include system-auth\n");
    v2.put("sudoers", "root ALL=(ALL) ALL\n%wheel ALL=(ALL) ALL\n");
    v2.put("cron.d/0hourly", "02 * * * * root run-parts /etc/cron.hourly\n");
    v2.put("cron.d/raid-check", "0 1 * * Sun root /usr/bin/raid-check\n");
    v2.put("systemd/timesyncd.conf", "[Time]\n");
    v2.put("sysctl.d/20-network.conf", "net.ipv4.ip_forward = 0\n");
    v2.remove("profile.d/legacy.sh");
    v2.remove("modprobe.d/blacklist.conf");
    v2.remove("systemd/network/10-eth.network");
    for (Map.Entry<String, String> e : v2.entrySet()) {
      file(trees.fresh, e.getKey(), e.getValue());
    }
    symlink(trees.fresh, "localtime", "../usr/share/zoneinfo/Etc/UTC");
    symlink(trees.fresh, "systemd/system/multi-user.target.wants/sshd.service",
        "/usr/lib/systemd/system/sshd.service");
    mode(trees.fresh, "shadow", 0);

    Path merged = trees.merge();

    Map<String, String> expected = new TreeMap<>(v2);
    expected.put("hostname", "web-01\n");
    expected.put("hosts", "127.0.0.1 localhost\n10.0.0.5 db\n");
    expected.put("ssh/sshd_config", "PermitRootLogin no\n");
    expected.put("sudoers", "root ALL=(ALL) ALL\n"); // the user's (mode-only) version
    expected.remove("motd");
    expected.remove("cron.d/0hourly");
    expected.remove("cron.d/raid-check"); // inside cron.d, which the user deleted
    expected.remove("pam.d/su");
    expected.remove("xdg/autostart/agent.desktop");
    expected.put("sysctl.d/99-local.conf", "vm.swappiness = 10\n");
    expected.put("profile.d/legacy.sh", "# legacy, tuned\n"); // removed by v2, edited locally
    expected.put("myapp/app.yaml", "listen: 8080\n");
    expected.put("myapp/secrets/token", "s3cret\n");
    expected.put("systemd/system/myapp.service", "[Service]\nExecStart=/opt/myapp\n");
    expected.put("localtime", "-> ../usr/share/zoneinfo/Europe/Paris");
    expected.put("systemd/system/multi-user.target.wants/myapp.service",
        "-> /etc/systemd/system/myapp.service");
    assertThat(leaves(merged)).isEqualTo(expected);

    assertThat(EtcTrees.modeOf(merged, "sudoers")).isEqualTo(0440);
    assertThat(EtcTrees.modeOf(merged, "shadow")).isZero();
    assertThat(EtcTrees.modeOf(merged, "myapp/secrets")).isEqualTo(0700);
    assertThat(EtcTrees.exists(merged, "cron.d")).isFalse();
    assertThat(EtcTrees.exists(merged, "xdg")).isFalse();
    // v2 dropped these directories with their only files; the user did not touch them.
    assertThat(EtcTrees.exists(merged, "modprobe.d")).isFalse();
    assertThat(EtcTrees.exists(merged, "systemd/network")).isFalse();

    assertThat(trees.plan().localChanges()).extracting(LocalChange::describe).containsExactly(
        "deleted /etc/cron.d",
        "deleted /etc/cron.d/0hourly",
        "modified /etc/hostname (content)",
        "modified /etc/hosts (content)",
        "modified /etc/localtime (symlink target)",
        "deleted /etc/motd",
        "added /etc/myapp",
        "added /etc/myapp/app.yaml",
        "added /etc/myapp/secrets",
        "added /etc/myapp/secrets/token",
        "deleted /etc/pam.d/su",
        "modified /etc/profile.d/legacy.sh (content)",
        "modified /etc/ssh/sshd_config (content)",
        "modified /etc/sudoers (mode)",
        "added /etc/sysctl.d/99-local.conf",
        "added /etc/systemd/system/multi-user.target.wants/myapp.service",
        "deleted /etc/systemd/system/multi-user.target.wants/sshd.service",
        "added /etc/systemd/system/myapp.service",
        "deleted /etc/xdg",
        "deleted /etc/xdg/autostart",
        "deleted /etc/xdg/autostart/agent.desktop");
  }

  /** Every non-directory of a tree: a file's content, or "-> target" for a symlink. */
  private static SortedMap<String, String> leaves(Path root) throws IOException {
    SortedMap<String, String> leaves = new TreeMap<>();
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (Path path : paths) {
      String relative = root.relativize(path).toString();
      if (Files.isSymbolicLink(path)) {
        leaves.put(relative, "-> " + PosixCalls.readlink(path));
      } else if (Files.isRegularFile(path)) {
        leaves.put(relative, Files.readString(path));
      }
    }
    return leaves;
  }
}
