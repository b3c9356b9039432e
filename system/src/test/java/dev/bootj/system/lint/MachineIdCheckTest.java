package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineIdCheckTest {

  @TempDir Path dir;

  @Test
  void emptyAbsentOrUninitializedPasses() throws Exception {
    assertThat(new MachineIdCheck().run(new ImageFixture(dir).root())).isEmpty();
    assertThat(new MachineIdCheck().run(new ImageFixture(dir).file("/etc/machine-id", "").root())).isEmpty();
    assertThat(new MachineIdCheck().run(new ImageFixture(dir).file("/etc/machine-id", "uninitialized\n").root()))
        .isEmpty();
  }

  @Test
  void anIdentityFails() throws Exception {
    ImageFixture image = new ImageFixture(dir).file("/etc/machine-id", "4f1d2c8a9b0e4e7f8a6b5c4d3e2f1a0b\n");
    assertThat(new MachineIdCheck().run(image.root())).singleElement().asString()
        .startsWith("/etc/machine-id holds 4f1d2c8a9b0e4e7f8a6b5c4d3e2f1a0b, which every machine");
  }
}
