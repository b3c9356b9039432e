package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.MediaTypes;
import dev.bootj.oci.reference.RegistryReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;

/**
 * GETs manifests as raw bytes over jib-core's HTTP client. jib's own manifest puller parses into
 * templates that reject fields they do not know (such as {@code artifactType}) and keeps no raw
 * bytes, but bootj must hash exactly what the registry sent. Answers a 401 challenge once, through
 * the {@link RegistryAuthenticator}; a transient failure is retried by the {@link Retrier}. Remembers
 * which scheme the registry answered on (jib falls back to plain HTTP for insecure registries), for
 * the blob requests that follow.
 */
final class ManifestFetcher {

  /** The image spec's advice: refuse manifests larger than 4 MiB rather than buffer anything. */
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private static final List<String> ACCEPT = List.of(
      MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);

  private final FailoverHttpClient http;
  private final RegistryReference reference;
  private final RegistryAuthenticator authenticator;
  private final Retrier retrier;
  private final String userAgent;
  private final Integer timeoutMillis;
  private volatile String scheme;

  ManifestFetcher(FailoverHttpClient http, RegistryReference reference, RegistryAuthenticator authenticator, Retrier retrier,
      String userAgent) {
    this.http = http;
    this.reference = reference;
    this.authenticator = authenticator;
    this.retrier = retrier;
    this.userAgent = userAgent;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, retrier.policy().stallTimeout().toMillis());
  }

  /** "https" or "http", as the last manifest request found the registry; null before any. */
  String scheme() {
    return scheme;
  }

  RawManifest fetch(String qualifier) throws IOException {
    String subject = "manifest of " + reference.registry() + "/" + reference.repository() + (qualifier.contains(":") ? "@" : ":") + qualifier;
    return retrier.call(subject, () -> fetchOnce(qualifier));
  }

  private RawManifest fetchOnce(String qualifier) throws IOException {
    URL url = new URL("https://" + reference.apiHost() + "/v2/" + reference.repository() + "/manifests/" + qualifier);
    for (int attempt = 0; ; attempt++) {
      Authorization authorization = authenticator.current();
      Request request = Request.builder().setAccept(ACCEPT).setUserAgent(userAgent).setAuthorization(authorization)
          .setHttpTimeout(timeoutMillis).build();
      try (Response response = http.get(url, request)) {
        retrier.registryAnswered();
        scheme = response.getRequestUrl().getScheme();
        List<String> type = response.getHeader("Content-Type");
        return new RawManifest(readLimited(response.getBody()), type.isEmpty() ? null : type.get(0));
      } catch (ResponseException e) {
        retrier.registryAnswered();
        if (e.getStatusCode() == 401 && attempt == 0) {
          authenticator.answer(e.getHeaders().getAuthenticate(), authorization);
          continue;
        }
        throw e;
      }
    }
  }

  private byte[] readLimited(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    if (body.length > MAX_MANIFEST_BYTES) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "registry " + reference.registry()
          + " sent a manifest larger than 4 MiB for " + reference + "; refusing it");
    }
    return body;
  }
}
