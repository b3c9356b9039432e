package dev.bootj.oci.unpack;

import dev.bootj.common.posix.PosixCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers written by GNU tar itself (pax and gnu formats), not by our fixture, unpacked by umoci and
 * by {@link LayerUnpacker}: guards against reading only what our own writer produces.
 */
class GnuTarEquivalenceTest {

  private static final Path TAR = Paths.get("/usr/bin/tar");
  private static final Path UMOCI = Paths.get("/usr/bin/umoci");

  @TempDir Path temp;

  private static void run(Path log, String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + Files.readString(log)).isZero();
  }

  private Path lowerTree() throws IOException {
    Path src = Files.createDirectory(temp.resolve("lower"));
    Files.createDirectories(src.resolve("usr/bin"));
    Files.writeString(src.resolve("usr/bin/tool"), "binary".repeat(1000));
    PosixCalls.chmod(src.resolve("usr/bin/tool"), 04755);
    PosixCalls.setXattr(src.resolve("usr/bin/tool"), "security.capability", LayerUnpackerTest.CAPABILITY_CAP_NET_RAW);
    Files.createLink(src.resolve("usr/bin/tool-link"), src.resolve("usr/bin/tool"));
    PosixCalls.symlink("tool", src.resolve("usr/bin/alias"));
    PosixCalls.symlink("/usr/bin/tool", src.resolve("abs"));
    Files.createDirectories(src.resolve("home/user"));
    Files.writeString(src.resolve("home/user/notes-äöü-日本.txt"), "notes");
    PosixCalls.lchown(src.resolve("home/user/notes-äöü-日本.txt"), 1000, 100);
    PosixCalls.lchown(src.resolve("home/user"), 1000, 100);
    PosixCalls.setXattr(src.resolve("home/user"), "user.dir", new byte[] {0, 1, (byte) 0xfe});
    String longName = "deep/" + "very-long-directory-name/".repeat(5) + "file-with-a-long-name-".repeat(4);
    Files.createDirectories(src.resolve(longName).getParent());
    Files.writeString(src.resolve(longName), "long");
    PosixCalls.mknod(src.resolve("fifo"), PosixCalls.S_IFIFO, 0600, 0, 0);
    Files.createDirectories(src.resolve("dev"));
    PosixCalls.mknod(src.resolve("dev/tty0"), PosixCalls.S_IFCHR, 0620, 4, 0);
    Files.createDirectories(src.resolve("tmp"));
    PosixCalls.chmod(src.resolve("tmp"), 01777);
    settle(src, "usr/bin/tool", "home/user", "usr/bin", "usr", "home", "dev", "tmp", "deep");
    return src;
  }

  /** The next layer, as a diff: changes, a whiteout and an opaque directory. */
  private Path upperTree() throws IOException {
    Path src = Files.createDirectory(temp.resolve("upper"));
    Files.createDirectories(src.resolve("usr/bin"));
    Files.writeString(src.resolve("usr/bin/.wh.alias"), "");
    Files.createDirectories(src.resolve("deep"));
    Files.writeString(src.resolve("deep/.wh..wh..opq"), "");
    Files.writeString(src.resolve("deep/new"), "new");
    Files.createDirectories(src.resolve("home/user"));
    Files.writeString(src.resolve("home/user/notes-äöü-日本.txt"), "changed");
    Files.createLink(src.resolve("home/user/again"), src.resolve("home/user/notes-äöü-日本.txt"));
    settle(src, "usr/bin", "usr", "deep", "home/user", "home");
    return src;
  }

  private static void settle(Path src, String... paths) throws IOException {
    for (String p : paths) {
      PosixCalls.setTimes(src.resolve(p), 1_650_000_000L, 123_456_789);
    }
  }

  @Test
  void sameTreeAsUmociForGnuTarLayers() throws Exception {
    assumeTrue(Files.isExecutable(TAR) && Files.isExecutable(UMOCI), "needs GNU tar and umoci");
    assumeTrue(PosixCalls.effectiveUid() == 0, "needs root for owners, devices and capabilities");
    Path log = temp.resolve("log");
    Path lower = lowerTree();
    Path upper = upperTree();
    Path paxTar = temp.resolve("lower.tar");
    Path gnuTar = temp.resolve("upper.tar");
    run(log, TAR.toString(), "--xattrs", "--xattrs-include=*", "--numeric-owner", "--format=pax",
        "-C", lower.toString(), "-cf", paxTar.toString(), ".");
    run(log, TAR.toString(), "--numeric-owner", "--format=gnu",
        "-C", upper.toString(), "-cf", gnuTar.toString(), ".");
    List<byte[]> tars = List.of(Files.readAllBytes(paxTar), Files.readAllBytes(gnuTar));

    Path layout = temp.resolve("layout");
    List<OciLayoutWriter.Layer> layers = new ArrayList<>();
    for (byte[] tar : tars) {
      layers.add(new OciLayoutWriter.Layer(tar, OciLayoutWriter.TAR));
    }
    OciLayoutWriter.write(layout, "gnu", layers);
    Path bundle = temp.resolve("bundle");
    run(log, UMOCI.toString(), "unpack", "--image", layout + ":gnu", bundle.toString());

    Path ours = Files.createDirectory(temp.resolve("ours"));
    LayerUnpacker unpacker = new LayerUnpacker(ours, w -> {});
    for (Path tar : List.of(paxTar, gnuTar)) {
      try (InputStream in = Files.newInputStream(tar)) {
        unpacker.apply(in);
      }
    }

    TreeSnapshot expected = TreeSnapshot.capture(bundle.resolve("rootfs"));
    assertThat(expected.node("usr/bin/tool").xattrs()).containsKey("security.capability");
    assertThat(expected.node("home/user").xattrs()).isEmpty(); // the upper layer's entry has none
    assertThat(expected.nodes()).containsKeys("usr/bin/tool-link", "deep/new", "dev/tty0")
        .doesNotContainKeys("usr/bin/alias", "deep/very-long-directory-name");
    assertThat(TreeSnapshot.capture(ours).diff(expected)).isEmpty();
  }
}
