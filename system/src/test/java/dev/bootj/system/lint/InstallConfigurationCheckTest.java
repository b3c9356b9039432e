package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallConfigurationCheckTest {

  @TempDir Path dir;

  @Test
  void knownKeysWithValidValuesPass() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/usr/lib/bootj/install.d/10-fs.toml", "[install]\nfilesystem = \"xfs\"\nslot-size = \"3G\"\n")
        .file("/usr/lib/bootj/install.d/20-kargs.toml", "[install]\nkargs = [\"quiet\"]\n");
    assertThat(new InstallConfigurationCheck().run(image.root())).isEmpty();
  }

  @Test
  void noInstallDirectoryPasses() throws Exception {
    assertThat(new InstallConfigurationCheck().run(new ImageFixture(dir).root())).isEmpty();
  }

  @Test
  void anUnknownKeyIsNamedWithItsFile() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/usr/lib/bootj/install.d/10-fs.toml", "[install]\nfilesytem = \"xfs\"\n");
    assertThat(new InstallConfigurationCheck().run(image.root())).singleElement().asString()
        .contains("/usr/lib/bootj/install.d/10-fs.toml").contains("install.filesytem");
  }

  @Test
  void aBadValueIsNamedWithItsKey() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .file("/usr/lib/bootj/install.d/10-fs.toml", "[install]\nfilesystem = \"zfs\"\n");
    assertThat(new InstallConfigurationCheck().run(image.root())).singleElement().asString()
        .contains("10-fs.toml").contains("'install.filesystem'").contains("zfs");
  }
}
