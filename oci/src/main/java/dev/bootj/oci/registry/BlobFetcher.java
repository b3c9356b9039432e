package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.http.Authorization;
import dev.bootj.common.BootjException;
import dev.bootj.common.posix.TerminationSignals;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.RegistryReference;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;

/**
 * Downloads a blob so that a cut connection costs only the bytes that were lost.
 *
 * <p>The bytes go to the caller's sink as they arrive, and the caller hashes them on the way (its
 * store writer or unpacker holds that state). When the connection fails mid-body, the next attempt
 * asks for the rest with {@code Range: bytes=N-}, N being what the sink already has, and appends to
 * the same sink: the hash simply carries on. A registry that ignores Range answers 200 with the
 * whole blob; its first N bytes are then read and dropped rather than written again. That is the
 * clean restart from 0 on the wire, without unwriting the sink, which a streaming unpacker could
 * not do; should the resent bytes differ, the digest of what was written fails at the end as for
 * any corrupt transfer.
 *
 * <p>jib's HTTP client cannot send a Range header and retries on its own, so blob GETs use the
 * Apache HTTP client (which jib runs on) directly: no hidden retries, no transparent decompression,
 * the socket timeout as the stall timeout (no byte for that long abandons the attempt), and
 * redirects followed here so that the registry's Authorization never goes to another host (a
 * storage backend's signed URL). Authorization and the scheme (HTTPS, or HTTP for an insecure
 * registry) come from the manifest requests that precede every blob.
 */
final class BlobFetcher implements Closeable {

  private static final int MAX_REDIRECTS = 10;
  private static final int BUFFER = 64 * 1024;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

  private final RegistryReference reference;
  private final RegistryAuthenticator authenticator;
  private final Retrier retrier;
  private final boolean insecure;
  private final String userAgent;
  private final Supplier<String> scheme;
  private volatile String fallbackScheme;
  private CloseableHttpClient client;

  /**
   * @param scheme "https" or "http" as the manifest requests found the registry, or null before any
   * @param insecure whether certificates go unverified and plain HTTP is allowed
   */
  BlobFetcher(RegistryReference reference, RegistryAuthenticator authenticator, Retrier retrier, boolean insecure,
      String userAgent, Supplier<String> scheme) {
    this.reference = reference;
    this.authenticator = authenticator;
    this.retrier = retrier;
    this.insecure = insecure;
    this.userAgent = userAgent;
    this.scheme = scheme;
  }

  /** Thrown by the caller's sink; never retried, and handed back as it was. */
  private static final class SinkFailure extends IOException {
    SinkFailure(Exception cause) {
      super(cause);
    }

    void rethrow() throws IOException {
      if (getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw (IOException) getCause();
    }
  }

  /**
   * Writes the blob's bytes into {@code sink}, unverified (the caller hashes them). A failure of the
   * sink is thrown as it was; the registry's or the network's, as a {@link BootjException} saying so.
   */
  void fetch(Descriptor blob, OutputStream sink, LongConsumer progress) throws IOException {
    long[] received = {0};
    try {
      retrier.call("blob " + blob.digest().shortHex(), blob.digest(), () -> received[0], () -> {
        attempt(blob, sink, progress, received);
        return null;
      });
    } catch (SinkFailure e) {
      e.rethrow();
    } catch (IOException | RuntimeException e) {
      throw RegistryFailure.translate(e, reference, "download blob " + blob.digest().shortHex());
    }
  }

  private void attempt(Descriptor blob, OutputStream sink, LongConsumer progress, long[] received) throws IOException {
    long offset = received[0];
    long size = blob.size();
    try (CloseableHttpResponse response = open(blob, offset)) {
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        throw new TransferCutException(offset, size);
      }
      InputStream body = entity.getContent();
      long skip = response.getStatusLine().getStatusCode() == 206 ? alreadyHave(response, offset, blob) : offset;
      skipFully(body, skip, offset, size);
      byte[] buffer = new byte[BUFFER];
      while (received[0] < size) {
        TerminationSignals.checkpoint();
        int n = body.read(buffer, 0, (int) Math.min(buffer.length, size - received[0]));
        if (n < 0) {
          throw new TransferCutException(received[0], size);
        }
        try {
          sink.write(buffer, 0, n);
        } catch (IOException | RuntimeException e) {
          throw new SinkFailure(e);
        }
        received[0] += n;
        progress.accept(n);
      }
      if (body.read() >= 0) {
        throw new BootjException(BootjException.Kind.INTEGRITY, "registry " + reference.registry() + " sent more than the "
            + size + " bytes of blob " + blob.digest().shortHex() + " of " + reference + "; refusing it");
      }
    }
  }

  /** Of a 206, how many of its leading bytes the sink already holds (its range may start early). */
  private long alreadyHave(CloseableHttpResponse response, long offset, Descriptor blob) throws BootjException {
    Header range = response.getFirstHeader("Content-Range");
    Matcher m = range == null ? null : CONTENT_RANGE.matcher(range.getValue().trim());
    if (m == null || !m.matches() || Long.parseLong(m.group(1)) > offset) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "registry " + reference.registry()
          + " answered a request for blob " + blob.digest().shortHex() + " from byte " + offset + " with "
          + (range == null ? "no Content-Range" : "Content-Range " + range.getValue()) + "; pull again");
    }
    return offset - Long.parseLong(m.group(1));
  }

  private static void skipFully(InputStream body, long skip, long offset, long size) throws IOException {
    byte[] discard = new byte[BUFFER];
    while (skip > 0) {
      int n = body.read(discard, 0, (int) Math.min(discard.length, skip));
      if (n < 0) {
        throw new TransferCutException(offset - skip, size); // the restart ended before catching up
      }
      skip -= n;
    }
  }

  /** GETs the blob (from {@code offset}), following redirects, answering one 401; a success or an exception. */
  private CloseableHttpResponse open(Descriptor blob, long offset) throws IOException {
    URI uri = URI.create(scheme() + "://" + reference.apiHost() + "/v2/" + reference.repository() + "/blobs/" + blob.digest());
    Authorization authorization = authenticator.current();
    boolean sendAuthorization = true;
    boolean answered = false;
    for (int hop = 0; ; hop++) {
      HttpGet get = new HttpGet(uri);
      get.setHeader("User-Agent", userAgent);
      if (offset > 0) {
        get.setHeader("Range", "bytes=" + offset + "-");
      }
      if (sendAuthorization && authorization != null) {
        get.setHeader("Authorization", authorization.getScheme() + " " + authorization.getToken());
      }
      CloseableHttpResponse response = execute(get);
      retrier.registryAnswered();
      int status = response.getStatusLine().getStatusCode();
      if (status == 200 || status == 206) {
        return response;
      }
      try (response) {
        Header location = response.getFirstHeader("Location");
        if (status >= 300 && status < 400 && location != null && hop < MAX_REDIRECTS) {
          URI next = uri.resolve(location.getValue());
          // A storage backend's signed URL carries its own authority; the registry's token stays home.
          sendAuthorization &= sameOrigin(uri, next);
          uri = next;
          continue;
        }
        if (status == 401 && sendAuthorization && !answered) {
          authenticator.answer(value(response, "WWW-Authenticate"), authorization);
          authorization = authenticator.current();
          answered = true;
          continue;
        }
        throw new HttpStatusException(status, response.getStatusLine().getReasonPhrase(),
            value(response, "Retry-After"), value(response, "WWW-Authenticate"));
      }
    }
  }

  private CloseableHttpResponse execute(HttpGet get) throws IOException {
    try {
      return client().execute(get);
    } catch (SSLException e) {
      // Before any manifest told us the scheme: an insecure registry may speak plain HTTP.
      if (insecure && scheme.get() == null && "https".equals(get.getURI().getScheme())) {
        fallbackScheme = "http";
        URI http = URI.create("http" + get.getURI().toString().substring("https".length()));
        get.setURI(http);
        return client().execute(get);
      }
      throw e;
    }
  }

  private String scheme() {
    String known = scheme.get();
    if (known != null) {
      return known;
    }
    return fallbackScheme != null ? fallbackScheme : "https";
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
  }

  private static String value(CloseableHttpResponse response, String header) {
    Header h = response.getFirstHeader(header);
    return h == null ? null : h.getValue();
  }

  private synchronized CloseableHttpClient client() throws IOException {
    if (client == null) {
      int stallMillis = (int) Math.min(Integer.MAX_VALUE, retrier.policy().stallTimeout().toMillis());
      RequestConfig config = RequestConfig.custom()
          .setConnectTimeout(stallMillis)
          .setSocketTimeout(stallMillis)
          .setConnectionRequestTimeout(stallMillis)
          .setRedirectsEnabled(false)
          .build();
      HttpClientBuilder builder = HttpClients.custom()
          .useSystemProperties()
          .setDefaultRequestConfig(config)
          .disableAutomaticRetries()
          .disableContentCompression()
          .disableRedirectHandling()
          .disableCookieManagement()
          .setMaxConnPerRoute(16)
          .setMaxConnTotal(32);
      if (insecure) {
        builder.setSSLContext(trustingEveryCertificate()).setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
      }
      client = builder.build();
    }
    return client;
  }

  /** For registries the user chose not to verify (--tls-verify=false, insecure mirrors, loopback). */
  private static SSLContext trustingEveryCertificate() throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("this Java has no TLS: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }
}
