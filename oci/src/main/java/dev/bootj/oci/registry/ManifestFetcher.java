package dev.bootj.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * GETs manifests as raw bytes over jib-core's HTTP client. jib's own manifest puller parses into
 * templates that reject fields they do not know (such as {@code artifactType}) and keeps no raw
 * bytes, but bootj must hash exactly what the registry sent. Answers a 401 challenge once: a bearer
 * token from the realm (with the credentials, if any), or basic auth.
 */
final class ManifestFetcher {

  /** The image spec's advice: refuse manifests larger than 4 MiB rather than buffer anything. */
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private static final List<String> ACCEPT = List.of(
      MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FailoverHttpClient http;
  private final RegistryReference reference;
  private final Optional<Credential> credential;
  private final String userAgent;
  private Authorization authorization;

  ManifestFetcher(FailoverHttpClient http, RegistryReference reference, Optional<Credential> credential, String userAgent) {
    this.http = http;
    this.reference = reference;
    this.credential = credential;
    this.userAgent = userAgent;
  }

  RawManifest fetch(String qualifier) throws IOException {
    URL url = new URL("https://" + reference.apiHost() + "/v2/" + reference.repository() + "/manifests/" + qualifier);
    for (int attempt = 0; ; attempt++) {
      Request request = Request.builder().setAccept(ACCEPT).setUserAgent(userAgent).setAuthorization(authorization).build();
      try (Response response = http.get(url, request)) {
        List<String> type = response.getHeader("Content-Type");
        return new RawManifest(readLimited(response.getBody()), type.isEmpty() ? null : type.get(0));
      } catch (ResponseException e) {
        if (e.getStatusCode() == 401 && attempt == 0) {
          authorization = authenticate(e.getHeaders().getAuthenticate());
          continue;
        }
        throw e;
      }
    }
  }

  private Authorization authenticate(String header) throws IOException {
    BearerChallenge challenge = BearerChallenge.parse(header).orElseThrow(() -> unauthorized("it sent no authentication challenge"));
    if (challenge.isBasic()) {
      Credential c = credential.orElseThrow(() -> unauthorized("it needs a user name and password"));
      return Authorization.fromBasicCredentials(c.getUsername(), c.getPassword());
    }
    if (!challenge.isBearer() || challenge.parameters().get("realm") == null) {
      throw unauthorized("it asks for '" + challenge.scheme() + "' authentication, which bootj does not speak");
    }
    StringBuilder tokenUrl = new StringBuilder(challenge.parameters().get("realm"));
    tokenUrl.append(tokenUrl.indexOf("?") < 0 ? '?' : '&');
    String service = challenge.parameters().get("service");
    if (service != null) {
      tokenUrl.append("service=").append(encode(service)).append('&');
    }
    tokenUrl.append("scope=").append(encode("repository:" + reference.repository() + ":pull"));
    Request.Builder request = Request.builder().setUserAgent(userAgent);
    credential.ifPresent(c -> request.setAuthorization(Authorization.fromBasicCredentials(c.getUsername(), c.getPassword())));
    try (Response response = http.get(new URL(tokenUrl.toString()), request.build())) {
      JsonNode json = JSON.readTree(readLimited(response.getBody()));
      String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText(null);
      if (token == null || token.isEmpty()) {
        throw unauthorized("its token service returned no token");
      }
      return Authorization.fromBearerToken(token);
    } catch (ResponseException e) {
      throw unauthorized("its token service answered HTTP " + e.getStatusCode()
          + (credential.isPresent() ? " for the credentials given" : " without credentials"));
    }
  }

  private BootjException unauthorized(String why) {
    return new BootjException(BootjException.Kind.IMAGE_ACCESS, "registry " + reference.registry() + " refused access to "
        + reference.repository() + ": " + why + "; log in (podman login / docker login) or pass --creds USER:PASSWORD or --authfile FILE");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
