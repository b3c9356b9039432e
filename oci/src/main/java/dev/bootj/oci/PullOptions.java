package dev.bootj.oci;

import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.registry.RetryPolicy;
import dev.bootj.oci.registry.conf.RegistriesConf;
import dev.bootj.oci.registry.conf.RegistryRule;

/**
 * How to reach images.
 *
 * @param platform which image to take from a multi-platform index
 * @param platformExplicit whether the user chose the platform (then a single-platform image for
 *     another platform is accepted)
 * @param tlsVerify false allows plain HTTP and unverified certificates for every registry
 * @param credentials where registry credentials come from
 * @param registries registries.conf: mirrors, relocations, insecure and blocked registries
 * @param trust the signature policy every pulled or unpacked image must satisfy
 * @param retry how registry requests that fail transiently are retried, and when a silent
 *     connection is abandoned
 */
public record PullOptions(Platform platform, boolean platformExplicit, boolean tlsVerify, RegistryCredentials credentials,
    RegistriesConf registries, TrustPolicy trust, RetryPolicy retry) {

  /**
   * Whether connections to {@code image}'s registry verify TLS: not with {@code --tls-verify=false},
   * nor for a registry registries.conf marks {@code insecure}. Signature lookups (lookaside, the
   * {@code .sig} tags) follow this as the image's own requests do, or an insecure registry's
   * images would be fetched and their signatures not.
   */
  public boolean tlsVerifyFor(ImageReference image) {
    return tlsVerify && !(image instanceof RegistryReference r
        && registries.ruleFor(r).map(RegistryRule::insecure).orElse(false));
  }

  /** The same options under another signature policy (an installed machine's own). */
  public PullOptions withTrust(TrustPolicy other) {
    return new PullOptions(platform, platformExplicit, tlsVerify, credentials, registries, other, retry);
  }
}
