package dev.bootj.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryReferenceTest {

  private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @CsvSource({
    "debian,                           docker.io, library/debian,   latest",
    "debian:12,                        docker.io, library/debian,   12",
    "user/app:v1,                      docker.io, user/app,         v1",
    "docker.io/debian,                 docker.io, library/debian,   latest",
    "index.docker.io/library/debian:1, docker.io, library/debian,   1",
    "localhost/os,                     localhost, os,               latest",
    "localhost:5000/a/b/c:tag,         localhost:5000, a/b/c,       tag",
    "127.0.0.1:5000/bootj/os:1,        127.0.0.1:5000, bootj/os,    1",
    "quay.io/fedora/fedora-bootc:41,   quay.io,   fedora/fedora-bootc, 41",
    "docker://quay.io/x/y,             quay.io,   x/y,              latest",
    "[::1]:5000/os:2,                  '[::1]:5000', os,            2",
  })
  void normalisesAsDockerDoes(String text, String registry, String repository, String tag) {
    RegistryReference r = (RegistryReference) ImageReference.parse(text);
    assertThat(r.registry()).isEqualTo(registry);
    assertThat(r.repository()).isEqualTo(repository);
    assertThat(r.tag()).isEqualTo(tag);
    assertThat(r.digest()).isNull();
  }

  @Test
  void digestOnlyReferenceHasNoTag() {
    RegistryReference r = (RegistryReference) ImageReference.parse("registry.example/os@sha256:" + HEX);
    assertThat(r.tag()).isNull();
    assertThat(r.digest()).hasToString("sha256:" + HEX);
    assertThat(r.manifestQualifier()).isEqualTo("sha256:" + HEX);
    assertThat(r).hasToString("registry.example/os@sha256:" + HEX);
  }

  @Test
  void tagAndDigestKeepsBothButAsksForTheDigest() {
    RegistryReference r = (RegistryReference) ImageReference.parse("registry.example/os:1@sha256:" + HEX);
    assertThat(r.tag()).isEqualTo("1");
    assertThat(r.manifestQualifier()).isEqualTo("sha256:" + HEX);
    assertThat(r).hasToString("registry.example/os:1@sha256:" + HEX);
  }

  @Test
  void dockerHubIsReachedThroughItsApiHost() {
    assertThat(((RegistryReference) ImageReference.parse("debian")).apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(((RegistryReference) ImageReference.parse("quay.io/a/b")).apiHost()).isEqualTo("quay.io");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Registry.example/OS:1 | repository names are lowercase",
    "registry.example/os:bad tag | not a valid tag",
    "registry.example/os@sha256:abc | must be a digest",
    "registry.example/ | repository name is missing",
    "registry.example/os/:1 | repository names",
    "'' | an image reference is required",
  })
  void rejectsMalformedReferencesSayingWhy(String text, String message) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(message);
  }

  @Test
  void roundTripsThroughToString() {
    for (String text : new String[] {"docker.io/library/debian:12", "localhost:5000/a/b:c", "quay.io/x/y@sha256:" + HEX}) {
      assertThat(ImageReference.parse(text)).hasToString(text);
      assertThat(ImageReference.parse(ImageReference.parse(text).toString())).isEqualTo(ImageReference.parse(text));
    }
  }
}
