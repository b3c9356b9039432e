package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTmpCheckTest {

  @TempDir Path dir;

  @Test
  void emptyDirectoriesPass() throws Exception {
    ImageFixture image = new ImageFixture(dir).directory("/run/lock/subsys").directory("/tmp");
    assertThat(new RunTmpCheck().run(image.root())).isEmpty();
  }

  @Test
  void filesAndLinksAreNamedPerDirectory() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/run/adduser", "").link("/run/shm", "/dev/shm").file("/tmp/hsperfdata_root/42", "x");
    assertThat(new RunTmpCheck().run(image.root())).satisfiesExactly(
        run -> assertThat(run).startsWith("/run holds 2 files (").contains("/run/adduser", "/run/shm"),
        tmp -> assertThat(tmp).startsWith("/tmp holds 1 files (/tmp/hsperfdata_root/42)"));
  }
}
