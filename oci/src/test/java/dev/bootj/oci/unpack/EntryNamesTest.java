package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntryNamesTest {

  @Test
  void componentsDropDotsAndApplyDotDotLexically() throws UnsafeLayerException {
    assertThat(EntryNames.components("./usr/bin/", "e")).containsExactly("usr", "bin");
    assertThat(EntryNames.components("usr//./lib/../bin", "e")).containsExactly("usr", "bin");
    assertThat(EntryNames.components("./", "e")).isEmpty();
    assertThat(EntryNames.components(".", "e")).isEmpty();
    assertThat(EntryNames.components("a/..", "e")).isEmpty();
  }

  @Test
  void componentsRefuseEscapes() {
    assertThatThrownBy(() -> EntryNames.components("../../x", "../../x"))
        .isInstanceOf(UnsafeLayerException.class)
        .hasMessageContaining("'../../x'");
    assertThatThrownBy(() -> EntryNames.components("a/../../x", "a/../../x"))
        .isInstanceOf(UnsafeLayerException.class);
    assertThatThrownBy(() -> EntryNames.components("/../etc/passwd", "/../etc/passwd"))
        .isInstanceOf(UnsafeLayerException.class);
  }

  @Test
  void componentsReadNamesAsContainerdAndUmociDo() throws UnsafeLayerException {
    assertThat(EntryNames.components("/etc/passwd", "e")).containsExactly("etc", "passwd");
    assertThat(EntryNames.components("./etc/passwd", "e")).containsExactly("etc", "passwd");
    assertThat(EntryNames.components("//etc//./passwd/", "e")).containsExactly("etc", "passwd");
    assertThat(EntryNames.components("/", "e")).isEmpty();
    assertThat(EntryNames.components(".", "e")).isEmpty();
    assertThat(EntryNames.components("./", "e")).isEmpty();
  }
}
