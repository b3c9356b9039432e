package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootjPresentCheckTest {

  @TempDir Path dir;

  @Test
  void launcherAndJarPass() throws Exception {
    ImageFixture image = new ImageFixture(dir).executable("/usr/bin/bootj").file("/usr/lib/bootj/bootj.jar", "PK");
    assertThat(new BootjPresentCheck().run(image.root())).isEmpty();
  }

  @Test
  void aLauncherThatCannotRunAndAMissingJarAreNamed() throws Exception {
    ImageFixture image = new ImageFixture(dir).file("/usr/bin/bootj", "#!/bin/sh\n");
    assertThat(new BootjPresentCheck().run(image.root())).singleElement().asString()
        .startsWith("the image lacks /usr/bin/bootj (not executable) and /usr/lib/bootj/bootj.jar, so a machine");
  }
}
