package dev.bootj.oci.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.oci.reference.Digest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageIndexTest {

  private static Descriptor entry(char fill, String mediaType, Platform platform) {
    return new Descriptor(mediaType, Digest.parse("sha256:" + String.valueOf(fill).repeat(64)), 100, platform, Map.of());
  }

  private static final Descriptor AMD64 = entry('a', MediaTypes.OCI_MANIFEST, new Platform("linux", "amd64", null));
  private static final Descriptor AMD64_V3 = entry('b', MediaTypes.OCI_MANIFEST, new Platform("linux", "amd64", "v3"));
  private static final Descriptor ARM64_V8 = entry('c', MediaTypes.OCI_MANIFEST, new Platform("linux", "arm64", "v8"));
  private static final Descriptor ARM_V7 = entry('d', MediaTypes.OCI_MANIFEST, new Platform("linux", "arm", "v7"));
  private static final Descriptor ATTESTATION = entry('e', MediaTypes.OCI_MANIFEST, new Platform("unknown", "unknown", null));
  private static final Descriptor NESTED = entry('f', MediaTypes.OCI_INDEX, new Platform("linux", "amd64", null));

  private final ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(NESTED, AMD64_V3, AMD64, ARM64_V8, ARM_V7, ATTESTATION));

  @Test
  void prefersTheEntryWithoutVariantWhenNoneIsAsked() {
    assertThat(index.select(Platform.parse("linux/amd64"))).contains(AMD64);
  }

  @Test
  void takesTheExactVariantWhenAsked() {
    assertThat(index.select(Platform.parse("linux/amd64/v3"))).contains(AMD64_V3);
  }

  @Test
  void arm64WithoutVariantMeansV8() {
    assertThat(index.select(Platform.parse("linux/arm64"))).contains(ARM64_V8);
  }

  @Test
  void noMatchIsEmpty() {
    assertThat(index.select(Platform.parse("linux/s390x"))).isEmpty();
    assertThat(index.select(Platform.parse("linux/arm/v6"))).isEmpty();
  }

  @Test
  void platformParsing() {
    assertThat(Platform.parse("linux/arm/v7")).isEqualTo(new Platform("linux", "arm", "v7"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Platform.parse("amd64"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("os/arch");
    assertThat(Platform.current().os()).isEqualTo("linux");
  }
}
