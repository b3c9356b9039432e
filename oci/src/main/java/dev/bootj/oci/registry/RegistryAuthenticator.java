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
import dev.bootj.oci.reference.RegistryReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Holds the Authorization every pull request of one repository carries, and answers a 401's
 * challenge: a bearer token from the realm (with the credentials, if any), or basic auth. Shared
 * by the manifest and blob requests, and by parallel downloads, so a token is fetched once.
 */
final class RegistryAuthenticator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TOKEN_BYTES = 1024 * 1024;

  private final FailoverHttpClient http;
  private final RegistryReference reference;
  private final Optional<Credential> credential;
  private final String userAgent;
  private final Integer timeoutMillis;
  private volatile Authorization authorization;

  RegistryAuthenticator(FailoverHttpClient http, RegistryReference reference, Optional<Credential> credential,
      String userAgent, Integer timeoutMillis) {
    this.http = http;
    this.reference = reference;
    this.credential = credential;
    this.userAgent = userAgent;
    this.timeoutMillis = timeoutMillis;
  }

  /** What requests carry now; null before any challenge. */
  Authorization current() {
    return authorization;
  }

  /**
   * Answers the challenge (WWW-Authenticate) of a 401 to a request that carried {@code used}. When another thread
   * has already replaced that authorization, its newer one is kept.
   */
  synchronized void answer(String challenge, Authorization used) throws IOException {
    if (authorization != used) {
      return;
    }
    authorization = authenticate(challenge);
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
    Request.Builder request = Request.builder().setUserAgent(userAgent).setHttpTimeout(timeoutMillis);
    credential.ifPresent(c -> request.setAuthorization(Authorization.fromBasicCredentials(c.getUsername(), c.getPassword())));
    try (Response response = http.get(new URL(tokenUrl.toString()), request.build())) {
      JsonNode json = JSON.readTree(readLimited(response.getBody()));
      String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText(null);
      if (token == null || token.isEmpty()) {
        throw unauthorized("its token service returned no token");
      }
      return Authorization.fromBearerToken(token);
    } catch (ResponseException e) {
      if (RetryPolicy.isTransientStatus(e.getStatusCode())) {
        throw e; // the token service is busy, not refusing: the request is retried as a whole
      }
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
    byte[] body = in.readNBytes(MAX_TOKEN_BYTES + 1);
    if (body.length > MAX_TOKEN_BYTES) {
      throw unauthorized("its token service sent more than 1 MiB");
    }
    return body;
  }
}
