package dev.bootj.system.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelArgumentsTest {

  @Test
  void readsOneLineArray() {
    assertThat(KernelArguments.parse("kargs = [\"console=ttyS0\", \"quiet\"]\n"))
        .containsExactly("console=ttyS0", "quiet");
  }

  @Test
  void readsMultiLineArrayWithCommentsTrailingCommaAndLiteralStrings() {
    String toml = "# serial console\nkargs = [\n  \"console=ttyS0,115200\", # first\n  'rd.x=\"q\"',\n]\n";
    assertThat(KernelArguments.parse(toml)).containsExactly("console=ttyS0,115200", "rd.x=\"q\"");
  }

  @Test
  void understandsEscapesInBasicStrings() {
    assertThat(KernelArguments.parse("kargs = [\"a=\\\"b c\\\"\", \"d\\\\e\"]"))
        .containsExactly("a=\"b c\"", "d\\e");
  }

  @Test
  void fileForOtherArchitecturesGivesNothing() {
    assertThat(KernelArguments.parse("kargs = [\"x\"]\nmatch-architectures = [\"aarch64\"]")).isEmpty();
    assertThat(KernelArguments.parse("match-architectures = [\"x86_64\", \"aarch64\"]\nkargs = [\"x\"]"))
        .containsExactly("x");
  }

  @Test
  void malformedFileNamesTheLine() {
    assertThatThrownBy(() -> KernelArguments.parse("kargs = [\n\"a\"\n\"b\"]"))
        .hasMessage("line 3: expected ',' or ']' in the array");
    assertThatThrownBy(() -> KernelArguments.parse("kargs = \"a\""))
        .hasMessageContaining("line 1: expected '['");
  }

  @Test
  void imageFilesAreReadInNameOrder(@TempDir Path root) throws IOException {
    Path dir = Files.createDirectories(root.resolve("usr/lib/bootj/kargs.d"));
    Files.writeString(dir.resolve("20-b.toml"), "kargs = [\"b\"]");
    Files.writeString(dir.resolve("10-a.toml"), "kargs = [\"a\"]");
    Files.writeString(dir.resolve("README"), "not toml");
    assertThat(KernelArguments.fromImage(new ImageRoot(root))).containsExactly("a", "b");
  }

  @Test
  void imageWithoutKargsDirectoryHasNone(@TempDir Path root) throws IOException {
    assertThat(KernelArguments.fromImage(new ImageRoot(root))).isEmpty();
  }

  @Test
  void brokenImageFileIsReportedWithItsName(@TempDir Path root) throws IOException {
    Path dir = Files.createDirectories(root.resolve("usr/lib/bootj/kargs.d"));
    Files.writeString(dir.resolve("10-bad.toml"), "kargs = [console]");
    assertThatThrownBy(() -> KernelArguments.fromImage(new ImageRoot(root)))
        .hasMessageContaining("10-bad.toml").hasMessageContaining("expected a quoted string");
  }
}
