package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlessBootCheckTest {

  @TempDir Path dir;

  @Test
  void programAndGeneratorPass() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .executable("/usr/lib/systemd/systemd-bless-boot")
        .executable("/usr/lib/systemd/system-generators/systemd-bless-boot-generator");
    assertThat(new BlessBootCheck().run(image.root())).isEmpty();
  }

  @Test
  void aMissingGeneratorIsNamed() throws Exception {
    ImageFixture image = new ImageFixture(dir).executable("/usr/lib/systemd/systemd-bless-boot");
    assertThat(new BlessBootCheck().run(image.root())).singleElement().asString()
        .startsWith("the image lacks /usr/lib/systemd/system-generators/systemd-bless-boot-generator: no boot");
  }
}
