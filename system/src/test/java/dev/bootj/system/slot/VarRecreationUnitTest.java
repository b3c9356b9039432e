package dev.bootj.system.slot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VarRecreationUnitTest {

  private static final Partition STATE = new Partition(PartitionRole.STATE, 0, 1 << 20,
      UUID.fromString("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"));

  @TempDir Path root;

  @Test
  void unitNamesAreEscapedAsSystemdEscapesPaths() throws Exception {
    List<String> paths = List.of("/dev/disk/by-partuuid/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "/", "/var//lib/",
        "/dev/disk/by-label/my disk", "/.hidden/x.y", "/a:b_c");
    assumeTrue(onPath("systemd-escape"), "systemd-escape is the oracle");
    for (String path : paths) {
      assertThat(VarRecreationUnit.escapedPath(path)).as(path).isEqualTo(run("systemd-escape", "--path", path));
    }
  }

  @Test
  void theUnitRunsBeforeVarAndItsCheckAndOnlyWhileTheScriptIsThere() {
    String unit = VarRecreationUnit.unit(STATE);
    String device = "dev-disk-by\\x2dpartuuid-0f1e2d3c\\x2d4b5a\\x2d4968\\x2d8776\\x2da5b4c3d2e1f0";
    assertThat(unit).contains("Requires=" + device + ".device\n")
        .contains("Before=var.mount systemd-fsck@" + device + ".service local-fs.target\n")
        .contains("ConditionPathExists=/.bootj-reset/recreate-var\n")
        .contains("DefaultDependencies=no\n")
        .contains("ExecStart=/bin/sh /.bootj-reset/recreate-var\n");
  }

  @Test
  void theScriptIsValidShellForEitherFilesystem() throws Exception {
    assumeTrue(onPath("sh"), "a POSIX shell");
    for (FilesystemType filesystem : FilesystemType.values()) {
      Path script = root.resolve("script-" + filesystem);
      Files.writeString(script, VarRecreationUnit.script(STATE, filesystem));
      assertThat(run("sh", "-n", script.toString())).as("sh -n, %s", filesystem).isEmpty();
      assertThat(Files.readString(script)).contains("mkfs." + filesystem.fstabName() + " -q ")
          .contains("device=/dev/disk/by-partuuid/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\n")
          // The record is carried before the old /var is made anew, and the marker goes last.
          .satisfies(text -> assertThat(text.indexOf("state.json.new")).isLessThan(text.indexOf("mkfs.")))
          .satisfies(text -> assertThat(text.indexOf("rm -rf \"$reset\"")).isGreaterThan(text.indexOf("umount \"$work\"\nrm")));
    }
  }

  @Test
  void installMovesTheImagesVarAsideAndKeepsTheMountPointsOwnerAndMode() throws Exception {
    Path var = root.resolve("var/lib/app");
    Files.createDirectories(var);
    Files.writeString(var.resolve("seed"), "from the image\n");
    Files.setPosixFilePermissions(root.resolve("var"), PosixFilePermissions.fromString("rwxr-x---"));

    VarRecreationUnit.install(root, STATE, FilesystemType.XFS);

    assertThat(root.resolve(".bootj-reset/var/lib/app/seed")).hasContent("from the image");
    assertThat(root.resolve("var")).isEmptyDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var"))))
        .isEqualTo("rwxr-x---");
    assertThat(root.resolve(".bootj-reset/recreate-var")).content().contains("mkfs.xfs -q -f -L state");
    assertThat(root.resolve("usr/lib/systemd/system/bootj-reset-var.service")).content().contains("[Service]");
    Path link = root.resolve("usr/lib/systemd/system/var.mount.requires/bootj-reset-var.service");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../bootj-reset-var.service"));
    assertThat(Files.exists(link)).as("the link resolves").isTrue();
    assertThat(Files.isDirectory(root.resolve(".bootj-reset"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static String run(String... command) throws IOException {
    return new CommandRunner().run(CommandRunner.Command.of(Duration.ofSeconds(30), command)).strip();
  }
}
