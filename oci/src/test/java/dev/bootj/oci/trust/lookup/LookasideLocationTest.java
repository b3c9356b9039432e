package dev.bootj.oci.trust.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.reference.Digest;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LookasideLocationTest {

  private static final Digest DIGEST = Digest.parse("sha256:" + "0123456789abcdef".repeat(4));
  private static final String HEX = DIGEST.hex();

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      file:///var/lib/containers/sigstore       | library/busybox | 1 | file:///var/lib/containers/sigstore/library/busybox@sha256=HEX/signature-1
      file:///var/lib/containers/sigstore       | os/base         | 3 | file:///var/lib/containers/sigstore/os/base@sha256=HEX/signature-3
      file:///sigs/                             | os              | 1 | file:///sigs//os@sha256=HEX/signature-1
      https://sigs.example.com                  | team/os         | 1 | https://sigs.example.com/team/os@sha256=HEX/signature-1
      https://sigs.example.com/                 | team/os         | 2 | https://sigs.example.com//team/os@sha256=HEX/signature-2
      http://localhost:4242/lookaside           | a/b/c           | 10 | http://localhost:4242/lookaside/a/b/c@sha256=HEX/signature-10
      https://user@sigs.example.com:8443/x?k=v  | os              | 1 | https://user@sigs.example.com:8443/x/os@sha256=HEX/signature-1?k=v
      file:///with%20space                      | os              | 1 | file:///with%20space/os@sha256=HEX/signature-1
      """)
  void signatureUrlsFollowTheLookasideProtocol(String lookaside, String repository, int n, String expected) {
    URI url = new LookasideLocation(URI.create(lookaside), repository).signature(DIGEST, n);

    assertThat(url).hasToString(expected.replace("HEX", HEX));
  }

  @Test
  void fileUrlsNameTheDecodedPath() {
    URI url = new LookasideLocation(URI.create("file:///with%20space"), "os").signature(DIGEST, 1);

    assertThat(Path.of(url.getPath())).isEqualTo(Path.of("/with space/os@sha256=" + HEX + "/signature-1"));
  }

  @Test
  void theDirectoryHoldsEverySignatureOfOneManifest() {
    LookasideLocation location = new LookasideLocation(URI.create("file:///sigs"), "os");

    assertThat(location.directory(DIGEST)).hasToString("file:///sigs/os@sha256=" + HEX);
    assertThat(location).hasToString("file:///sigs/os");
  }

  @Test
  void signaturesCountFromOne() {
    LookasideLocation location = new LookasideLocation(URI.create("file:///sigs"), "os");

    assertThatThrownBy(() -> location.signature(DIGEST, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pathsThatWouldLeaveTheLookasideAreRefused() {
    for (String path : new String[] {"", "/os", "os/", "a/../b", "..", "./os"}) {
      assertThatThrownBy(() -> new LookasideLocation(URI.create("file:///sigs"), path))
          .as(path).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
