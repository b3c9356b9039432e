package dev.bootj.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {

  @Test
  void hashesContent() {
    // sha256("abc") from FIPS 180-2's test vectors.
    assertThat(Digest.of("abc".getBytes(StandardCharsets.US_ASCII)))
        .hasToString("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void parsesOnlyLowercaseSha256() {
    String hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(Digest.parse("sha256:" + hex).hex()).isEqualTo(hex);
    assertThat(Digest.parse("sha256:" + hex).shortHex()).isEqualTo("ba7816bf8f01");
    assertThatThrownBy(() -> Digest.parse("sha256:" + hex.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.parse("sha512:" + hex)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.parse("sha256:" + hex.substring(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
