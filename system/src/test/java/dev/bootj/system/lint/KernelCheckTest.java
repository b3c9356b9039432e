package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCheckTest {

  @TempDir Path dir;

  @Test
  void oneKernelWithItsInitramfsPasses() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/usr/lib/modules/6.8.5-301.fc40.x86_64/vmlinuz", "k")
        .file("/usr/lib/modules/6.8.5-301.fc40.x86_64/initramfs.img", "i");
    assertThat(new KernelCheck().run(image.root())).isEmpty();
  }

  @Test
  void twoKernelsAreNamed() throws Exception {
    ImageFixture image = new ImageFixture(dir).debianLike()
        .file("/boot/vmlinuz-6.1.0-41-amd64", "k").file("/boot/initrd.img-6.1.0-41-amd64", "i");
    assertThat(new KernelCheck().run(image.root())).singleElement().asString()
        .startsWith("the image has 2 kernels (6.1.0-41-amd64, 6.1.0-40-amd64) and bootj boots only 6.1.0-41-amd64");
  }

  @Test
  void theKernelNamedIsTheOneBootjBootsEvenWhenANewerOneLacksItsInitramfs() throws Exception {
    ImageFixture image = new ImageFixture(dir).debianLike().file("/boot/vmlinuz-6.1.0-41-amd64", "k");
    assertThat(new KernelCheck().run(image.root())).singleElement().asString()
        .startsWith("the image has 2 kernels (6.1.0-41-amd64, 6.1.0-40-amd64) and bootj boots only 6.1.0-40-amd64");
  }

  @Test
  void aKernelWithoutInitramfsSaysWhatToAdd() throws Exception {
    ImageFixture image = new ImageFixture(dir).file("/boot/vmlinuz-6.1.0-40-amd64", "k");
    assertThat(new KernelCheck().run(image.root())).singleElement().asString()
        .startsWith("the image has kernel 6.1.0-40-amd64 but no initramfs for it");
  }

  @Test
  void noKernelSaysWhatToAdd() throws Exception {
    assertThat(new KernelCheck().run(new ImageFixture(dir).root())).singleElement().asString()
        .startsWith("the image has no kernel");
  }
}
