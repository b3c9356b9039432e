package dev.bootj.oci.testing;

import dev.bootj.oci.PullOptions;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.registry.RetryPolicy;
import dev.bootj.oci.registry.conf.RegistriesConf;
import java.util.Map;

/**
 * Pull options for tests that read images from OCI layouts: linux/amd64, no credentials from this
 * machine's environment, no registries.conf, the default retries; only the signature policy varies.
 */
public final class OfflinePullOptions {

  private OfflinePullOptions() {}

  public static PullOptions under(TrustPolicy trust) {
    return new PullOptions(Platform.parse("linux/amd64"), false, true,
        RegistryCredentials.fromEnvironment(null, null, Map.of()), RegistriesConf.NONE, trust, RetryPolicy.DEFAULT);
  }
}
