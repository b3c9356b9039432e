package dev.bootj.oci.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * An image whose three layers hold every non-malicious case the OCI layer format has: owners,
 * setuid/setgid/sticky modes, binary xattrs, devices, FIFOs, hard links across layers, symlinks
 * (absolute, dangling, odd), long and non-ASCII names, type changes, whiteouts and opaque
 * directories before and after their siblings. Used to compare bootj with umoci.
 */
public final class EdgeCaseLayers {

  /** {@code security.capability} for cap_net_raw+ep (VFS_CAP_REVISION_2), binary on purpose. */
  public static final byte[] CAPABILITY_CAP_NET_RAW = {
    0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private EdgeCaseLayers() {}

  /** The layers, bottom first. */
  public static List<TarBuilder> all() {
    TarBuilder base = new TarBuilder();
    base.dir("./").mode(0755);
    base.dir("etc").mtime(1_000_000_000L, 5);
    base.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n").mtime(1_500_000_000L, 123_456_789);
    base.file("etc/shadow", "root:*:1::::::\n").mode(0640).owner(0, 42);
    base.file("etc/attrs", "x").xattr("user.comment", "hello").xattr("user.binary", new byte[] {0, (byte) 0xff, 10});
    base.dir("bin");
    base.file("bin/busybox", "#!busybox\n".repeat(100)).mode(0755);
    base.hardlink("bin/sh", "bin/busybox");
    base.file("bin/su", "su").mode(04755).owner(0, 0);
    base.file("bin/sudo-ish", "x").mode(06755).owner(1000, 1000);
    base.file("bin/wall", "w").mode(02755).owner(0, 5);
    base.file("bin/ping", "ping").mode(0755)
        .xattr("security.capability", CAPABILITY_CAP_NET_RAW);
    base.symlink("bin/link", "busybox").owner(33, 44).mtime(1_234_567_890L, 987_654_321);
    base.dir("usr");
    base.dir("usr/lib").mode(0750).owner(7, 8);
    base.symlink("lib", "usr/lib");
    base.symlink("abs", "/etc/passwd");
    base.symlink("odd", "..//etc/./passwd/");
    base.symlink("dangling", "/no/such/file");
    base.dir("tmp").mode(01777);
    base.dir("var");
    base.dir("var/empty").mode(0711).mtime(42);
    base.dir("dev");
    base.charDevice("dev/null", 1, 3).mode(0666);
    base.blockDevice("dev/sda", 8, 0).mode(0660).owner(0, 6);
    base.fifo("dev/initctl").mode(0600);
    base.blockDevice("dev/nvme-big", 259, 70000).mode(0600);
    base.dir("home");
    base.dir("home/user").mode(0700).owner(1000, 1000);
    base.file("home/user/.profile", "export PS1\n").owner(1000, 1000);
    base.dir("intl");
    base.file("intl/café-日本語-😀.txt", "unicode");
    String longDir = "intl/" + "long-directory-name-".repeat(6);
    base.dir(longDir);
    base.file(longDir + "/" + "long-file-name-".repeat(8), "long");
    base.symlink("intl/longlink", longDir + "/" + "long-file-name-".repeat(8));
    // Things the next layer changes the type of.
    base.file("fileToDir", "f");
    base.dir("dirToFile");
    base.dir("dirToFile/sub");
    base.file("dirToFile/sub/inner", "x");
    base.file("linkTarget", "keep");
    base.symlink("linkToFile", "linkTarget");
    base.dir("dirToLink");
    base.file("dirToLink/x", "x");
    base.symlink("linkToDir", "/usr");
    base.file("fileToFifo", "x");
    // Things the next layer whites out.
    base.dir("wh").mtime(2_000);
    base.file("wh/a", "a");
    base.dir("wh/tree");
    base.dir("wh/tree/sub");
    base.file("wh/tree/sub/f", "f");
    base.file("wh/keep", "k");
    base.dir("opq").mtime(3_000);
    base.file("opq/old", "o");
    base.dir("opq/olddir");
    base.file("opq/olddir/f", "f");
    base.dir("opq2").mtime(4_000);
    base.file("opq2/old", "o");
    base.file("opq2/replaced", "old");
    base.dir("opq3").mtime(5_000);
    base.file("opq3/old", "o");
    base.dir("parent").mtime(6_000);
    base.file("parent/old", "o");

    TarBuilder second = new TarBuilder();
    second.dir("etc").mode(0700).mtime(1_600_000_100L).xattr("user.etc", "new");
    second.file("etc/new", "n");
    second.hardlink("bin/vi", "bin/busybox");
    second.dir("fileToDir").mode(0751);
    second.file("fileToDir/now", "now a dir");
    second.file("dirToFile", "now a file");
    second.file("linkToFile", "replaced the link");
    second.symlink("dirToLink", "/etc");
    second.dir("linkToDir");
    second.fifo("fileToFifo");
    second.whiteout("wh/a");
    second.whiteout("wh/tree");
    second.whiteout("wh/missing");
    second.whiteout("nowhere/at/all");
    second.dir("opq").mtime(3_100);
    second.opaque("opq");
    second.file("opq/new", "n");
    second.dir("opq2").mtime(4_100);
    second.file("opq2/new", "n");
    second.file("opq2/replaced", "new");
    second.opaque("opq2");
    second.opaque("opq3");
    second.file("parent/new", "n"); // no entry for parent: its mtime stays
    second.file("sameLayer", "s");
    second.whiteout("sameLayer");

    TarBuilder third = new TarBuilder();
    third.hardlink("bin/ls", "bin/busybox");
    third.file("bin/su", "su v2").mode(04711).owner(0, 0).mtime(1_700_000_000L, 1);
    third.whiteout("bin/wall");
    third.file("var/empty/.keep", "").mtime(77);
    third.dir("var/empty").mode(0711).mtime(43);
    return List.of(base, second, third);
  }

  /**
   * {@link #all()} as tar streams, followed by two layers shaped as {@code umoci insert} writes
   * them: one of a directory inserted at "/" (an entry for the root itself, names with a leading
   * "/", parents not listed, among them one inside a setgid directory of the same layer), and one
   * of a single file, which ends right after the file's data.
   */
  public static List<byte[]> tars() {
    List<byte[]> tars = new ArrayList<>();
    for (TarBuilder layer : all()) {
      tars.add(layer.build());
    }
    TarBuilder directoryAtRoot = new TarBuilder();
    directoryAtRoot.dir("/").mode(0751).mtime(1_650_000_000L);
    directoryAtRoot.dir("/sgid").mode(02775).owner(0, 50).mtime(1_650_000_001L);
    directoryAtRoot.file("/sgid/implied/deeper/file", "parents not listed").owner(0, 50);
    directoryAtRoot.file("/etc/inserted", "absolute name");
    directoryAtRoot.file("./dotted", "dot-slash name");
    tars.add(directoryAtRoot.build());
    TarBuilder singleFile = new TarBuilder();
    singleFile.file("/sgid/later/file", "one file, no padding after it");
    tars.add(singleFile.buildEndingRightAfterData());
    return tars;
  }
}
