package dev.bootj.oci.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The cases follow containers/image's policy_reference_match.go semantics. */
class SignedIdentityTest {

  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static RegistryReference image(String text) {
    return (RegistryReference) ImageReference.parse(text.replace("D1", D1).replace("D2", D2));
  }

  private static SignedIdentity rule(String name) {
    return switch (name) {
      case "matchExact" -> new SignedIdentity.MatchExact();
      case "matchRepoDigestOrExact" -> new SignedIdentity.MatchRepoDigestOrExact();
      case "matchRepository" -> new SignedIdentity.MatchRepository();
      case "exactReference" -> new SignedIdentity.ExactReference("vendor.example/p:1");
      case "exactRepository" -> new SignedIdentity.ExactRepository("vendor.example/p:ignored");
      case "remapIdentity" -> new SignedIdentity.RemapIdentity("mirror.local:5000/vendor", "vendor.example");
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0}: image {1}, signed {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      matchExact             | r.example/os:1          | r.example/os:1          | true
      matchExact             | r.example/os:1          | r.example/os:2          | false
      matchExact             | r.example/os:1          | r.example/os            | false
      matchExact             | r.example/os@D1         | r.example/os@D1         | true
      matchExact             | r.example/os@D1         | r.example/os:1          | false
      matchExact             | r.example/os            | r.example/os:latest     | true
      matchExact             | busybox:1               | docker.io/library/busybox:1 | true
      matchExact             | docker.io/library/busybox:1 | busybox:1           | true
      matchRepoDigestOrExact | r.example/os:1          | r.example/os:1          | true
      matchRepoDigestOrExact | r.example/os:1          | r.example/os:2          | false
      matchRepoDigestOrExact | r.example/os@D1         | r.example/os:1          | true
      matchRepoDigestOrExact | r.example/os@D1         | r.example/os@D2         | true
      matchRepoDigestOrExact | r.example/os@D1         | r.example/os            | false
      matchRepoDigestOrExact | r.example/os@D1         | r.example/other:1       | false
      matchRepoDigestOrExact | r.example/os:1@D1       | r.example/os:9          | true
      matchRepoDigestOrExact | r.example/os:1          | R.example/os:1          | false
      matchRepoDigestOrExact | r.example/os:1          | 'not a reference'       | false
      matchRepository        | r.example/os:1          | r.example/os:2          | true
      matchRepository        | r.example/os:1          | r.example/os            | true
      matchRepository        | r.example/os@D1         | r.example/os@D2         | true
      matchRepository        | r.example/os:1          | r.example/os2:1         | false
      matchRepository        | r.example/os:1          | r.example:5000/os:1     | false
      exactReference         | anything.example/x:1    | vendor.example/p:1      | true
      exactReference         | anything.example/x:1    | vendor.example/p:2      | false
      exactReference         | anything.example/x:1    | vendor.example/p        | false
      exactRepository        | anything.example/x:1    | vendor.example/p:7      | true
      exactRepository        | anything.example/x:1    | vendor.example/p        | true
      exactRepository        | anything.example/x:1    | vendor.example/q:7      | false
      remapIdentity          | mirror.local:5000/vendor/p:1   | vendor.example/p:1   | true
      remapIdentity          | mirror.local:5000/vendor/p:1   | vendor.example/p:2   | false
      remapIdentity          | mirror.local:5000/vendor/a/b@D1 | vendor.example/a/b:3 | true
      remapIdentity          | mirror.local:5000/vendor/p:1   | mirror.local:5000/vendor/p:1 | false
      remapIdentity          | mirror.local:5000/vendorx/p:1  | mirror.local:5000/vendorx/p:1 | true
      remapIdentity          | mirror.local:5000/vendorx/p:1  | vendor.examplex/p:1  | false
      remapIdentity          | other.example/p:1              | other.example/p:1    | true
      """)
  void matches(String rule, String image, String signed, boolean expected) {
    assertThat(rule(rule).matches(image(image), signed.replace("D1", D1).replace("D2", D2))).isEqualTo(expected);
  }

  @Test
  void remappingToANonCanonicalNameNeverMatches() {
    // "docker.io/busybox" is how no canonical reference is spelled (docker.io/library/busybox is).
    SignedIdentity remap = new SignedIdentity.RemapIdentity("mirror.local/hub", "docker.io");
    assertThat(remap.matches(image("mirror.local/hub/busybox:1"), "docker.io/library/busybox:1")).isFalse();
    assertThat(remap.matches(image("mirror.local/hub/library/busybox:1"), "docker.io/library/busybox:1")).isTrue();
  }

  @Test
  void configuredValuesAreValidated() {
    assertThatThrownBy(() -> new SignedIdentity.ExactReference("vendor.example/p")).hasMessageContaining("neither a tag nor a digest");
    assertThatThrownBy(() -> new SignedIdentity.ExactRepository("UPPER/case")).hasMessageContaining("lowercase");
    assertThatThrownBy(() -> new SignedIdentity.ExactRepository("r.example/os@sha256:abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SignedIdentity.RemapIdentity("", "v.example")).hasMessageContaining("prefix ''");
    assertThatThrownBy(() -> new SignedIdentity.RemapIdentity("m.example/p:1", "v.example")).hasMessageContaining("prefix 'm.example/p:1'");
    assertThatThrownBy(() -> new SignedIdentity.RemapIdentity("m.example", "v.example/x@" + D1)).hasMessageContaining("signedPrefix");
    // Accepted, as containers/image accepts them: a host, a namespace, a repository.
    new SignedIdentity.RemapIdentity("m.example:5000", "v.example/ns/repo");
  }

  @Test
  void dockerNamesAreNormalisedAsContainersImageDoes() {
    assertThat(DockerName.parse("busybox").toString()).isEqualTo("docker.io/library/busybox");
    assertThat(DockerName.parse("busybox").isNameOnly()).isTrue();
    assertThat(DockerName.parse("index.docker.io/busybox:1").toString()).isEqualTo("docker.io/library/busybox:1");
    assertThat(DockerName.parse("ns/tool:1").name()).isEqualTo("docker.io/ns/tool");
    assertThat(DockerName.parse("localhost/tool").name()).isEqualTo("localhost/tool");
    assertThat(DockerName.parse("r.example/os:1@" + D1).toString()).isEqualTo("r.example/os:1@" + D1);
    assertThatThrownBy(() -> DockerName.parse("1".repeat(64))).hasMessageContaining("image ID");
    assertThatThrownBy(() -> DockerName.parse("r.example/os@md5:" + "0".repeat(32))).hasMessageContaining("digest");
    assertThatThrownBy(() -> DockerName.parse("r.example/" + "a".repeat(250))).hasMessageContaining("longer than 255");
  }
}
