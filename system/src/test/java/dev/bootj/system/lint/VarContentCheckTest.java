package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VarContentCheckTest {

  @TempDir Path dir;

  @Test
  void onlyEmptyDirectoriesPass() throws Exception {
    ImageFixture image = new ImageFixture(dir).directory("/var/lib/app").directory("/var/log");
    assertThat(new VarContentCheck().run(image.root())).isEmpty();
  }

  @Test
  void contentIsCountedByDirectoryAndBounded() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/var/lib/dpkg/status", "s").file("/var/lib/dpkg/info/a.list", "a").file("/var/log/wtmp", "")
        .link("/var/run", "/run");
    for (int i = 0; i < 10; i++) {
      image.file("/var/cache/app" + i + "/x", "x");
    }
    assertThat(new VarContentCheck().run(image.root())).singleElement().asString()
        .startsWith("/var holds 14 files, which install copies to a machine once and no update changes:"
            + " /var/lib/dpkg (2), /var/cache/app0 (1), ")
        .contains("/var/cache/app6 (1) and 5 more; ship what updates must change under /usr");
  }
}
