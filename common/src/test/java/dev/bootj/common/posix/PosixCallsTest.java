package dev.bootj.common.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixCallsTest {

  @TempDir Path temp;

  @Test
  void errorsCarryPathAndStrerror() {
    Path missing = temp.resolve("missing");
    assertThatThrownBy(() -> PosixCalls.chmod(missing, 0644))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("No such file or directory");
    assertThatThrownBy(() -> PosixCalls.setTimes(missing, 1, 0)).hasMessageContaining("No such file");
  }

  @Test
  void existingTargetsAreReportedAsSuch() throws IOException {
    Files.writeString(temp.resolve("f"), "x");
    assertThatThrownBy(() -> PosixCalls.symlink("t", temp.resolve("f")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> PosixCalls.mknod(temp.resolve("f"), PosixCalls.S_IFIFO, 0644, 0, 0))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void symlinkOwnTimesAndVerbatimTarget() throws IOException {
    Path link = temp.resolve("link");
    PosixCalls.symlink("/a//b/", link);
    PosixCalls.setTimes(link, 1_000_000_000L, 123);
    assertThat(PosixCalls.readlink(link)).isEqualTo("/a//b/");
    assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(FileTime.from(Instant.ofEpochSecond(1_000_000_000L, 123)));
    String longTarget = "x/".repeat(400);
    PosixCalls.symlink(longTarget, temp.resolve("long"));
    assertThat(PosixCalls.readlink(temp.resolve("long"))).isEqualTo(longTarget);
  }

  @Test
  void xattrsRoundTripAsBytes() throws IOException {
    Path file = Files.writeString(temp.resolve("f"), "x");
    byte[] value = {0, (byte) 0xff, 0, 7};
    PosixCalls.setXattr(file, "user.t", value);
    PosixCalls.setXattr(file, "user.empty", new byte[0]);
    assertThat(PosixCalls.getXattr(file, "user.t")).isEqualTo(value);
    assertThat(PosixCalls.getXattr(file, "user.empty")).isEmpty();
    assertThat(PosixCalls.getXattr(file, "user.none")).isNull();
    assertThat(PosixCalls.listXattrs(file)).contains("user.t", "user.empty");
    PosixCalls.removeXattr(file, "user.t");
    assertThat(PosixCalls.listXattrs(file)).doesNotContain("user.t");
  }

  @Test
  void deviceNumbersLikeGlibc() {
    assertThat(PosixCalls.makedev(1, 3)).isEqualTo(0x103);
    assertThat(PosixCalls.makedev(8, 0)).isEqualTo(0x800);
    // Large majors and minors spill into the high bits.
    assertThat(PosixCalls.makedev(0x1234, 0x56789)).isEqualTo(0x0000_1000_5672_3489L);
  }

  @Test
  void effectiveUidMatchesTheJvmView() throws IOException {
    Path file = Files.writeString(temp.resolve("mine"), "x");
    assertThat(PosixCalls.effectiveUid()).isEqualTo(Files.getAttribute(file, "unix:uid"));
    assertThat(Paths.get("/").isAbsolute()).isTrue();
  }
}
