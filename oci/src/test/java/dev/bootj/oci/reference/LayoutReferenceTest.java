package dev.bootj.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LayoutReferenceTest {

  @Test
  void directoryWithTag() {
    LayoutReference r = (LayoutReference) ImageReference.parse("oci:/srv/images/os:1");
    assertThat(r.kind()).isEqualTo(LayoutReference.Kind.DIRECTORY);
    assertThat(r.path()).isEqualTo(Path.of("/srv/images/os"));
    assertThat(r.tag()).isEqualTo("1");
  }

  @Test
  void directoryWithoutTag() {
    LayoutReference r = (LayoutReference) ImageReference.parse("oci:relative/dir");
    assertThat(r.path()).isEqualTo(Path.of("relative/dir"));
    assertThat(r.tag()).isNull();
  }

  @Test
  void colonInsideThePathIsNotATag() {
    LayoutReference r = (LayoutReference) ImageReference.parse("oci:/a:b/c");
    assertThat(r.path()).isEqualTo(Path.of("/a:b/c"));
    assertThat(r.tag()).isNull();
  }

  @Test
  void archive() {
    LayoutReference r = (LayoutReference) ImageReference.parse("oci-archive:/tmp/os.tar:v2");
    assertThat(r.kind()).isEqualTo(LayoutReference.Kind.ARCHIVE);
    assertThat(r.path()).isEqualTo(Path.of("/tmp/os.tar"));
    assertThat(r.tag()).isEqualTo("v2");
    assertThat(r).hasToString("oci-archive:/tmp/os.tar:v2");
  }

  @Test
  void pathIsRequired() {
    assertThatThrownBy(() -> ImageReference.parse("oci:")).isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("oci:DIR[:TAG]");
  }
}
