package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FstabCheckTest {

  @TempDir Path dir;

  @Test
  void otherMountsAndCommentsPass() throws Exception {
    ImageFixture image = new ImageFixture(dir).file("/etc/fstab",
        "# / was on /dev/sda1\n\ntmpfs /tmp tmpfs defaults 0 0\nLABEL=data /usr/local/data ext4 defaults 0 2\n");
    assertThat(new FstabCheck().run(image.root())).isEmpty();
  }

  @Test
  void noFstabPasses() throws Exception {
    assertThat(new FstabCheck().run(new ImageFixture(dir).root())).isEmpty();
  }

  @Test
  void rootAndUsrLinesAreNamedWithTheirLineNumbers() throws Exception {
    ImageFixture image = new ImageFixture(dir).file("/etc/fstab",
        "UUID=1234 / ext4 errors=remount-ro 0 1\n#x\n/usr\t/usr/\tnone\tbind,ro\n");
    assertThat(new FstabCheck().run(image.root())).satisfiesExactly(
        first -> assertThat(first).startsWith("/etc/fstab line 1 mounts / (UUID=1234 / ext4 errors=remount-ro 0 1)"),
        second -> assertThat(second).startsWith("/etc/fstab line 3 mounts /usr ("));
  }
}
