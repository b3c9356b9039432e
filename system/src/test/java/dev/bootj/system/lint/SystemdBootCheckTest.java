package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdBootCheckTest {

  @TempDir Path dir;

  @Test
  void theImagesOwnLoaderPasses() throws Exception {
    ImageFixture image = new ImageFixture(dir).file("/usr/lib/systemd/boot/efi/systemd-bootx64.efi", "MZ");
    assertThat(new SystemdBootCheck().run(image.root())).isEmpty();
  }

  @Test
  void aMissingLoaderFailsEvenWhenTheHostHasOne() throws Exception {
    assertThat(new SystemdBootCheck().run(new ImageFixture(dir).root())).singleElement().asString()
        .startsWith("the image has no /usr/lib/systemd/boot/efi/systemd-bootx64.efi; add to the Containerfile");
  }
}
