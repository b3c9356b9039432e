package dev.bootj.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.oci.trust.SatisfiedRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {

  private static final Digest MANIFEST = Digest.parse("sha256:" + "aa".repeat(32));
  private static final Digest INDEX = Digest.parse("sha256:" + "bb".repeat(32));
  private static final ImageReference IMAGE = ImageReference.parse("registry.example/os:1");
  private static final PolicyAcceptance SIGNED = new PolicyAcceptance("docker: registry.example/os",
      List.of(new SatisfiedRequirement("sigstoreSigned", "9f".repeat(32), "registry.example/os")));

  @Test
  void aVerdictGivenBeforeHoldsForItsDigestsOnlyAndReadsNoFile() throws Exception {
    TrustPolicy before = TrustPolicy.acceptedBefore(SIGNED, MANIFEST, INDEX);
    RegistryCredentials credentials = RegistryCredentials.fromEnvironment(null, null, Map.of());
    assertThat(before.check(IMAGE, MANIFEST, true, credentials)).isEqualTo(SIGNED);
    assertThat(before.check(IMAGE, INDEX, true, credentials)).isEqualTo(SIGNED);
    assertThatThrownBy(() -> before.check(IMAGE, Digest.parse("sha256:" + "cc".repeat(32)), true, credentials))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("which the signature policy accepted")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(before.readsMachineFiles()).isFalse();
    assertThat(before.acceptsUnsigned(IMAGE)).isFalse();
    assertThat(before.scopeFor(IMAGE)).isEqualTo("docker: registry.example/os");
  }

  @Test
  void aReferenceThatNamedTheManifestGivesTheSameDigestTwice() throws Exception {
    TrustPolicy before = TrustPolicy.acceptedBefore(SIGNED, MANIFEST, MANIFEST);
    assertThat(before.check(IMAGE, MANIFEST, true, RegistryCredentials.fromEnvironment(null, null, Map.of())))
        .isEqualTo(SIGNED);
  }
}
