package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootEmptyCheckTest {

  @TempDir Path dir;

  private ImageFixture bootcStyle() throws Exception {
    return new ImageFixture(dir)
        .file("/usr/lib/modules/6.8.5-301.fc40.x86_64/vmlinuz", "k")
        .file("/usr/lib/modules/6.8.5-301.fc40.x86_64/initramfs.img", "i");
  }

  @Test
  void anEmptyBootBesideAKernelInUsrPasses() throws Exception {
    assertThat(new BootEmptyCheck().run(bootcStyle().directory("/boot").root())).isEmpty();
  }

  @Test
  void filesInBootBesideAKernelInUsrAreNamed() throws Exception {
    ImageFixture image = bootcStyle().file("/boot/config-6.8.5-301.fc40.x86_64", "c");
    assertThat(new BootEmptyCheck().run(image.root())).singleElement().asString()
        .startsWith("the kernel is in /usr/lib/modules/6.8.5-301.fc40.x86_64 but /boot is not empty"
            + " (/boot/config-6.8.5-301.fc40.x86_64)");
  }

  @Test
  void aKernelInBootIsDebiansConventionAndPasses() throws Exception {
    assertThat(new BootEmptyCheck().run(new ImageFixture(dir).debianLike().root())).isEmpty();
  }
}
