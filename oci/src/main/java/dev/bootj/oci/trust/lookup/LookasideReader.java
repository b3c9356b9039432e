package dev.bootj.oci.trust.lookup;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Reads simple-signing signatures from a lookaside: {@code signature-1}, {@code signature-2}, ...
 * until the first that does not exist (a missing file, or HTTP 404), over {@code file}, {@code
 * http} and {@code https} URLs. Bounded as containers/image bounds it: at most {@value
 * #MAX_SIGNATURE_BYTES} bytes per signature, and fewer than {@value #MAX_SIGNATURES} signatures (reaching that many is an error).
 */
final class LookasideReader {

  /** containers/image's iolimits.MaxSignatureBodySize. */
  static final int MAX_SIGNATURE_BYTES = 4 * 1024 * 1024;

  /** containers/image's maxLookasideSignatures: reaching it is taken for a broken server. */
  static final int MAX_SIGNATURES = 128;

  private final boolean tlsVerify;
  private HttpTransport http;

  /** @param tlsVerify false accepts any certificate from an https lookaside, as for the registry */
  LookasideReader(boolean tlsVerify) {
    this.tlsVerify = tlsVerify;
  }

  /** Every signature of {@code manifest} under {@code location}, in order; empty when there are none. */
  List<byte[]> read(LookasideLocation location, Digest manifest) throws BootjException {
    List<byte[]> signatures = new ArrayList<>();
    for (int n = 1; ; n++) {
      if (n > MAX_SIGNATURES) {
        throw new BootjException(BootjException.Kind.INTEGRITY, "the lookaside " + location.directory(manifest)
            + " holds " + MAX_SIGNATURES + " signatures or more; refusing them, as containers/image does, assuming a broken server");
      }
      Optional<byte[]> signature = readOne(location.signature(manifest, n));
      if (signature.isEmpty()) {
        return signatures;
      }
      signatures.add(signature.get());
    }
  }

  private Optional<byte[]> readOne(URI url) throws BootjException {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "file":
        return readFile(url);
      case "http":
      case "https":
        return readHttp(url);
      default:
        throw new BootjException(BootjException.Kind.SYSTEM, "the lookaside " + url + " has the scheme '" + scheme
            + "', but signatures are read only from file, http and https URLs; fix the registries.d configuration");
    }
  }

  private Optional<byte[]> readFile(URI url) throws BootjException {
    Path file = Path.of(url.getPath());
    try (InputStream in = Files.newInputStream(file)) {
      return Optional.of(readLimited(in, url));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (BootjException e) {
      throw e;
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read the signature " + file + ": " + e.getMessage(), e);
    }
  }

  private Optional<byte[]> readHttp(URI url) throws BootjException {
    try {
      HttpRequest request = transport().createRequestFactory().buildGetRequest(new GenericUrl(url));
      request.setThrowExceptionOnExecuteError(false);
      HttpResponse response = request.execute();
      try {
        int status = response.getStatusCode();
        if (status == 404) {
          return Optional.empty();
        }
        if (status != 200) {
          throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "the signature lookaside answered HTTP " + status
              + " for " + url + "; check the lookaside URL in registries.d and that the server is up");
        }
        try (InputStream in = response.getContent()) {
          return Optional.of(in == null ? new byte[0] : readLimited(in, url));
        }
      } finally {
        response.disconnect();
      }
    } catch (BootjException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "cannot reach the signature lookaside at " + url + ": "
          + why(e) + "; check the lookaside URL in registries.d and the network", e);
    }
  }

  private static byte[] readLimited(InputStream in, URI url) throws IOException {
    byte[] body = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
    if (body.length > MAX_SIGNATURE_BYTES) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "the signature " + url
          + " is larger than 4 MiB; refusing it (simple-signing signatures are a few hundred bytes)");
    }
    return body;
  }

  private HttpTransport transport() throws BootjException {
    if (http == null) {
      try {
        http = tlsVerify ? new NetHttpTransport() : new NetHttpTransport.Builder().doNotValidateCertificate().build();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK refused a trust-all TLS context", e);
      }
    }
    return http;
  }

  private static String why(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "the host name does not resolve";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer in time";
      }
      if (t instanceof SSLException) {
        return "TLS failed (" + oneLine(t) + "); if you trust the server, add --tls-verify=false";
      }
    }
    return oneLine(failure);
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
