package dev.bootj.cli.options;

import dev.bootj.common.BootjException;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.registry.RetryPolicy;
import dev.bootj.oci.registry.conf.RegistriesConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How to reach and choose images; shared by every command that reads one. */
public final class ImageAccessOptions {

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "Which image to take from a multi-platform image (default: this machine's, e.g. linux/amd64).")
  String platform;

  @Option(
      names = "--tls-verify",
      arity = "1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description = "Require HTTPS with a verified certificate (default: ${DEFAULT-VALUE}). Registries on"
          + " localhost and 127.0.0.0/8 are always allowed plain HTTP, as docker does.")
  boolean tlsVerify;

  @Option(
      names = "--creds",
      paramLabel = "USER[:PASSWORD]",
      description = "Registry credentials, instead of those in an auth file.")
  String creds;

  @Option(
      names = "--authfile",
      paramLabel = "FILE",
      description = "Auth file to read credentials from (default: $REGISTRY_AUTH_FILE,"
          + " $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json).")
  Path authFile;

  @Option(
      names = "--registries-conf",
      paramLabel = "FILE",
      description = "Read registry mirrors, relocations, insecure and blocked registries from FILE"
          + " (containers-registries.conf(5)) instead of $CONTAINERS_REGISTRIES_CONF or"
          + " /etc/containers/registries.conf; the drop-ins in /etc/containers/registries.conf.d are read too.")
  Path registriesConf;

  @Option(
      names = "--signature-policy",
      paramLabel = "FILE",
      description = "The signature policy images must satisfy (containers-policy.json(5)), instead of"
          + " /etc/containers/policy.json. An update of a disk (--disk) follows that machine's own"
          + " /etc/containers/policy.json unless this is given.")
  Path signaturePolicy;

  @Option(
      names = "--registries.d",
      paramLabel = "DIR",
      description = "Where to find signatures (containers-registries.d(5): lookaside URLs and"
          + " use-sigstore-attachments), instead of /etc/containers/registries.d.")
  Path registriesD;

  @Option(
      names = "--retry-times",
      paramLabel = "N",
      defaultValue = "5",
      description = "How many times a registry request that failed transiently (HTTP 408, 429, 5xx; a connection"
          + " refused, reset, cut or stalled) is tried again (default: ${DEFAULT-VALUE}); 0 never retries."
          + " Not found, unauthorized and digest mismatches are never retried. A cut download resumes"
          + " where it stopped.")
  int retryTimes;

  @Option(
      names = "--retry-delay",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = GoDurationConverter.class,
      description = "The wait before the first retry, doubled for each retry after it, unless the registry"
          + " says how long to wait (Retry-After); as skopeo writes durations: 500ms, 2s, 1m (default: ${DEFAULT-VALUE}).")
  Duration retryDelay;

  @Option(
      names = "--stall-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = GoDurationConverter.class,
      description = "Abandon and retry a registry connection that sends nothing for this long (default: ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  public PullOptions toPullOptions() throws BootjException {
    Platform chosen = platform == null ? Platform.current() : Platform.parse(platform);
    if (registriesConf != null && !Files.isRegularFile(registriesConf)) {
      throw new BootjException(BootjException.Kind.SYSTEM, "--registries-conf " + registriesConf + " is not a file");
    }
    RegistriesConf registries = registriesConf == null
        ? RegistriesConf.loadDefault(System.getenv())
        : RegistriesConf.load(registriesConf, RegistriesConf.DEFAULT_DROP_INS);
    return new PullOptions(chosen, platform != null, tlsVerify,
        RegistryCredentials.fromEnvironment(creds, authFile, System.getenv()), registries,
        TrustPolicy.of(signaturePolicy, registriesD), retryPolicy());
  }

  private RetryPolicy retryPolicy() throws BootjException {
    if (retryTimes < 0) {
      throw new BootjException(BootjException.Kind.SYSTEM, "--retry-times " + retryTimes + " is negative; give 0 or more");
    }
    if (stallTimeout.isZero()) {
      throw new BootjException(BootjException.Kind.SYSTEM, "--stall-timeout must be longer than 0");
    }
    return new RetryPolicy(retryTimes, retryDelay, stallTimeout);
  }
}
