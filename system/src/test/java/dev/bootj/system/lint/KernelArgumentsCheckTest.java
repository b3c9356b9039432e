package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelArgumentsCheckTest {

  @TempDir Path dir;

  @Test
  void wellFormedFilesPass() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/usr/lib/bootj/kargs.d/10-console.toml", "kargs = [\"console=ttyS0\", 'quiet']\n")
        .file("/usr/lib/bootj/kargs.d/20-arch.toml", "kargs = [\"x\"]\nmatch-architectures = [\"aarch64\"]\n");
    assertThat(new KernelArgumentsCheck().run(image.root())).isEmpty();
  }

  @Test
  void aBrokenFileIsNamedWithItsLine() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/usr/lib/bootj/kargs.d/10-console.toml", "# console\nkargs = [\"console=ttyS0\" \"quiet\"]\n");
    assertThat(new KernelArgumentsCheck().run(image.root())).containsExactly(
        "/usr/lib/bootj/kargs.d/10-console.toml in the image: line 2: expected ',' or ']' in the array");
  }
}
