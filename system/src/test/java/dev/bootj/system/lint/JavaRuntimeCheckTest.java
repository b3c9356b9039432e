package dev.bootj.system.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeCheckTest {

  @TempDir Path dir;

  @Test
  void debiansAlternativesLinkToJava17Passes() throws Exception {
    assertThat(new JavaRuntimeCheck().run(new ImageFixture(dir).debianLike().root())).isEmpty();
  }

  @Test
  void noJavaFails() throws Exception {
    // The host running the test has java; only the image's PATH counts.
    assertThat(new JavaRuntimeCheck().run(new ImageFixture(dir).directory("/usr/bin").root())).singleElement()
        .asString().startsWith("the image has no java on the PATH");
  }

  @Test
  void aJavaTooOldFails() throws Exception {
    ImageFixture image = new ImageFixture(dir)
        .executable("/usr/lib/jvm/java-11-openjdk-amd64/bin/java")
        .file("/usr/lib/jvm/java-11-openjdk-amd64/release", "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"11.0.24\"\n")
        .link("/usr/bin/java", "/usr/lib/jvm/java-11-openjdk-amd64/bin/java");
    assertThat(new JavaRuntimeCheck().run(image.root())).singleElement().asString()
        .startsWith("the image's java is version 11");
  }
}
