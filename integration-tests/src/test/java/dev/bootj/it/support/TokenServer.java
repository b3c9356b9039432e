package dev.bootj.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A token service of the kind public registries put in front of themselves (the distribution
 * "token" auth scheme): it hands out ES256-signed JWTs granting the scope asked for, to anyone
 * ({@code anonymous}) or only to one user. The registry trusts it through its certificate.
 */
public final class TokenServer implements AutoCloseable {

  public static final String SERVICE = "bootj-test-registry";
  public static final String ISSUER = "bootj-test-issuer";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyPair key;
  private final X509Certificate certificate;
  private final HttpServer server;
  private final String user;
  private final String password;
  private final List<String> scopesRequested = new CopyOnWriteArrayList<>();
  private final List<String> anonymousRequests = new CopyOnWriteArrayList<>();

  /** @param user null for a service that gives tokens to anyone */
  public TokenServer(String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    key = generator.generateKeyPair();
    X500Name name = new X500Name("CN=" + ISSUER);
    Instant now = Instant.now();
    certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
            name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)),
            name, key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::issue);
    server.start();
  }

  /** The realm URL, as a client on this machine reaches it. */
  public String realm() {
    return "http://localhost:" + server.getAddress().getPort() + "/token";
  }

  public String certificatePem() throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  /** Every scope a client asked a token for, in order. */
  public List<String> scopesRequested() {
    return scopesRequested;
  }

  /** Scopes asked for without credentials. */
  public List<String> anonymousRequests() {
    return anonymousRequests;
  }

  private void issue(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String scope = query.getOrDefault("scope", "");
      scopesRequested.add(scope);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null) {
        anonymousRequests.add(scope);
      }
      if (user != null && !(("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
          .equals(authorization))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String token = jwt(scope);
      byte[] body = JSON.writeValueAsBytes(Map.of("token", token, "access_token", token, "expires_in", 300));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (Exception e) {
      exchange.sendResponseHeaders(500, -1);
    } finally {
      exchange.close();
    }
  }

  private String jwt(String scope) throws Exception {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
    List<Map<String, Object>> access = new ArrayList<>();
    for (String one : scope.split(" ")) {
      String[] parts = one.split(":");
      if (parts.length == 3) {
        access.add(Map.of("type", parts[0], "name", parts[1], "actions", List.of(parts[2].split(","))));
      }
    }
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", user == null ? "" : user);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 60);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signed = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initSign(key.getPrivate());
    es256.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + b64.encodeToString(es256.sign());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> map = new LinkedHashMap<>();
    if (raw == null) {
      return map;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      // A client may ask for several scopes; keep them all.
      map.merge(k, v, (a, b) -> a + " " + b);
    }
    return map;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
