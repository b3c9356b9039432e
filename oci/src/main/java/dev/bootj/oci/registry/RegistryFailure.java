package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import dev.bootj.oci.reference.RegistryReference;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns what jib-core and the HTTP stack throw into one line that says what to do. */
final class RegistryFailure {

  private static final Pattern JIB_DIGESTS =
      Pattern.compile("has digest '(sha256:[0-9a-f]{64})'.*request digest was '(sha256:[0-9a-f]{64})'");

  private RegistryFailure() {}

  static BootjException translate(Throwable failure, RegistryReference reference, String action) {
    if (failure instanceof BootjException b) {
      return b;
    }
    if (failure instanceof RetriesExhaustedException exhausted) {
      BootjException last = translate(exhausted.getCause(), reference, action);
      return new BootjException(last.kind(), last.getMessage() + " (gave up after " + exhausted.retries()
          + (exhausted.retries() == 1 ? " retry" : " retries") + "; --retry-times and --retry-delay allow more)", failure);
    }
    String host = reference.registry();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // jib checks a blob's digest itself; its exception type is package-private, so it is known by name.
      if (t.getClass().getSimpleName().equals("UnexpectedBlobDigestException")) {
        Matcher m = JIB_DIGESTS.matcher(String.valueOf(t.getMessage()));
        if (m.find()) {
          return new DigestMismatchException("the blob " + Digest.parse(m.group(2)).shortHex() + " sent by " + host,
              Digest.parse(m.group(2)), Digest.parse(m.group(1)));
        }
      }
      if (t instanceof UnknownHostException) {
        return access("cannot reach registry " + host + ": the host name does not resolve; check the image reference", failure);
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return access("cannot reach registry " + host + ": connection refused; check the address and that the registry is running", failure);
      }
      if (t instanceof SocketTimeoutException) {
        return access("registry " + host + " did not answer in time while trying to " + action + "; check the network and try again", failure);
      }
      if (t instanceof InsecureRegistryException) {
        return access("registry " + host + " does not offer HTTPS with a certificate this machine trusts; if you trust it, add --tls-verify=false", failure);
      }
      if (t instanceof SSLException) {
        return access("TLS with registry " + host + " failed (" + t.getMessage() + "); if you trust it, add --tls-verify=false", failure);
      }
      if (t instanceof RegistryUnauthorizedException || t instanceof RegistryAuthenticationFailedException) {
        return access("registry " + host + " refused access to " + reference.repository()
            + "; log in (podman login / docker login) or pass --creds USER:PASSWORD or --authfile FILE", failure);
      }
      if (t instanceof HttpStatusException h) {
        return fromStatus(h.status(), h.getMessage(), reference, action, failure);
      }
      if (t instanceof ResponseException r) {
        if (RetryPolicy.isTransientStatus(r.getStatusCode())) {
          return fromStatus(r.getStatusCode(), firstLine(r.getMessage()), reference, action, failure);
        }
        if (r.getStatusCode() == 404) {
          return notFound(reference, failure);
        }
        if (r.getStatusCode() == 401 || r.getStatusCode() == 403) {
          return access("registry " + host + " refused access to " + reference.repository()
              + " (HTTP " + r.getStatusCode() + "); log in or pass --creds USER:PASSWORD or --authfile FILE", failure);
        }
      }
    }
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("manifest unknown") || message.contains("name unknown") || message.contains("not found")) {
      return notFound(reference, failure);
    }
    if (message.contains("unauthorized") || message.contains("denied")) {
      return access("registry " + host + " refused access to " + reference.repository()
          + "; log in or pass --creds USER:PASSWORD or --authfile FILE", failure);
    }
    return access("cannot " + action + " from " + host + ": " + firstLine(failure.getMessage()), failure);
  }

  private static BootjException fromStatus(int status, String statusLine, RegistryReference reference, String action,
      Throwable failure) {
    String host = reference.registry();
    if (status == 404) {
      return notFound(reference, failure);
    }
    if (status == 401 || status == 403) {
      return access("registry " + host + " refused access to " + reference.repository()
          + " (HTTP " + status + "); log in or pass --creds USER:PASSWORD or --authfile FILE", failure);
    }
    return access("registry " + host + " answered " + statusLine + " when asked to " + action + " of " + reference
        + (RetryPolicy.isTransientStatus(status) ? "; try again later" : ""), failure);
  }

  private static BootjException notFound(RegistryReference reference, Throwable cause) {
    return access("image " + reference + " was not found in registry " + reference.registry()
        + "; check the repository name and tag", cause);
  }

  private static BootjException access(String message, Throwable cause) {
    return new BootjException(BootjException.Kind.IMAGE_ACCESS, message, cause);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
