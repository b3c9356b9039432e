package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsrEtcCheckTest {

  @TempDir Path dir;

  @Test
  void noUsrEtcPasses() throws Exception {
    assertThat(new UsrEtcCheck().run(new ImageFixture(dir).directory("/usr/lib").root())).isEmpty();
  }

  @Test
  void aUsrEtcDirectoryFails() throws Exception {
    assertThat(new UsrEtcCheck().run(new ImageFixture(dir).directory("/usr/etc").root())).singleElement().asString()
        .startsWith("the image has /usr/etc");
  }

  @Test
  void evenADanglingLinkNamedUsrEtcFails() throws Exception {
    assertThat(new UsrEtcCheck().run(new ImageFixture(dir).link("/usr/etc", "/nowhere").root())).hasSize(1);
  }
}
