package dev.bootj.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.registry.RetryPolicy;
import dev.bootj.oci.registry.conf.RegistriesConf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PullOptionsTest {

  private static PullOptions options(boolean tlsVerify, RegistriesConf registries) {
    return new PullOptions(Platform.parse("linux/amd64"), false, tlsVerify,
        RegistryCredentials.fromEnvironment(null, null, Map.of()), registries,
        TrustPolicy.of(Path.of("/nonexistent/policy.json"), null), RetryPolicy.DEFAULT);
  }

  @Test
  void aRegistryMarkedInsecureIsReachedWithoutTlsVerificationSignaturesIncluded() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("[[registry]]\nlocation = \"10.0.2.2:5000\"\ninsecure = true\n",
        "registries.conf");
    PullOptions options = options(true, conf);
    assertThat(options.tlsVerifyFor(ImageReference.parse("10.0.2.2:5000/os:stable"))).isFalse();
    assertThat(options.tlsVerifyFor(ImageReference.parse("registry.example/os:stable"))).isTrue();
    assertThat(options(false, RegistriesConf.NONE).tlsVerifyFor(ImageReference.parse("registry.example/os:1")))
        .isFalse();
  }
}
