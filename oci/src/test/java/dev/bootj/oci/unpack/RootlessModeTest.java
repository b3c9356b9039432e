package dev.bootj.oci.unpack;

import dev.bootj.common.files.SubtreeDeleter;

import dev.bootj.common.posix.PosixCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import dev.bootj.oci.testing.TarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rootless mode, exercised for real: as root, the test runs {@link RootlessUnpackMain} as the
 * user nobody through setpriv, on a copy of the classes nobody can read.
 */
class RootlessModeTest {

  private static final int NOBODY = 65534;
  private static final Path SETPRIV = Paths.get("/usr/bin/setpriv");

  private Path shared;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(PosixCalls.effectiveUid() == 0, "needs root to switch to an unprivileged user");
    assumeTrue(Files.isExecutable(SETPRIV), "setpriv is not installed");
    shared = Files.createTempDirectory("bootj-rootless");
    PosixCalls.chmod(shared, 0755);
  }

  @AfterEach
  void tearDown() throws IOException, InterruptedException {
    if (shared != null) {
      new SubtreeDeleter(false).delete(shared);
    }
  }

  private static Path location(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private List<String> runAsNobody(Path root, byte[]... layers) throws Exception {
    Path classes = shared.resolve("classes");
    copyTree(location(LayerUnpacker.class), classes);
    copyTree(location(RootlessUnpackMain.class), classes);
    // The common module (POSIX calls, path resolution) is a directory in a reactor build, a jar otherwise.
    Path common = location(PosixCalls.class);
    if (Files.isDirectory(common)) {
      copyTree(common, classes);
    } else {
      Files.copy(common, shared.resolve("common.jar"));
    }
    Path jna = shared.resolve("jna.jar");
    Files.copy(location(Native.class), jna);
    List<String> command = new ArrayList<>(List.of(
        SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djna.tmpdir=" + shared.resolve("jnatmp"),
        "-cp", classes + ":" + shared.resolve("common.jar") + ":" + jna, RootlessUnpackMain.class.getName(), root.toString()));
    Files.createDirectory(shared.resolve("jnatmp"));
    PosixCalls.lchown(shared.resolve("jnatmp"), NOBODY, NOBODY);
    for (int i = 0; i < layers.length; i++) {
      Path tar = shared.resolve("layer" + i + ".tar");
      Files.write(tar, layers[i]);
      command.add(tar.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output.lines().toList();
  }

  @Test
  void unpacksWhatItCanAndWarnsOnce() throws Exception {
    Path root = Files.createDirectory(shared.resolve("root"));
    PosixCalls.lchown(root, NOBODY, NOBODY);
    TarBuilder lower = new TarBuilder();
    lower.dir("ro").mode(0555);
    lower.file("ro/old", "old").mode(0444);
    lower.file("ping", "elf").mode(0755).owner(0, 0)
        .xattr("security.capability", LayerUnpackerTest.CAPABILITY_CAP_NET_RAW)
        .xattr("user.note", "kept");
    lower.file("owned", "x").owner(1234, 1234).mode(04755);
    lower.charDevice("null", 1, 3);
    lower.fifo("fifo");
    TarBuilder upper = new TarBuilder();
    upper.file("ro/new", "new");
    upper.whiteout("ro/old");

    List<String> output = runAsNobody(root, lower.build(), upper.build());

    assertThat(output.stream().filter(l -> l.startsWith("WARNING"))).containsExactly(
        "WARNING not running as root: file owners, device nodes and trusted./security. xattrs are not restored");
    assertThat(output).contains("DONE");
    assertThat(Files.readString(root.resolve("ro/new"))).isEqualTo("new");
    assertThat(Files.exists(root.resolve("ro/old"))).isFalse();
    assertThat(Files.getAttribute(root.resolve("ro"), "unix:mode")).isEqualTo(040555);
    assertThat(Files.getAttribute(root.resolve("owned"), "unix:uid")).isEqualTo(NOBODY);
    assertThat(PosixCalls.getXattr(root.resolve("ping"), "user.note")).isEqualTo("kept".getBytes());
    assertThat(PosixCalls.getXattr(root.resolve("ping"), "security.capability")).isNull();
    assertThat(Files.exists(root.resolve("null"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(root.resolve("fifo"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
