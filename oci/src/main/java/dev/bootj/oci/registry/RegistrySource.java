package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageIndex;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.ManifestDocument;
import dev.bootj.oci.manifest.ManifestParser;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.source.ResolvedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Pulls manifests (over jib-core's HTTP client) and blobs (see {@link BlobFetcher}) from one
 * repository, retrying transient failures under a {@link RetryPolicy} and resuming cut blob
 * downloads where they stopped.
 */
public final class RegistrySource implements ImageSource {

  private static final String USER_AGENT = "bootj/0.1";

  private final RegistryReference reference;
  private final FailoverHttpClient http;
  private final ManifestFetcher manifests;
  private final BlobFetcher blobs;

  /** With the default retry policy and retries unreported. */
  public RegistrySource(RegistryReference reference, boolean tlsVerify, RegistryCredentials credentials) throws BootjException {
    this(reference, tlsVerify, credentials, RetryPolicy.DEFAULT, notice -> {});
  }

  /**
   * @param tlsVerify false allows plain HTTP and unverified certificates for any registry; loopback
   *     registries get that without asking, as docker treats them
   * @param retries hears of each retry before its wait
   */
  public RegistrySource(RegistryReference reference, boolean tlsVerify, RegistryCredentials credentials, RetryPolicy policy,
      Consumer<RetryNotice> retries) throws BootjException {
    this.reference = reference;
    boolean insecure = !tlsVerify || isLoopback(reference.apiHost());
    this.http = new FailoverHttpClient(insecure, insecure, event -> {});
    Optional<Credential> credential = credentials.lookup(reference);
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, policy.stallTimeout().toMillis());
    RegistryAuthenticator authenticator = new RegistryAuthenticator(http, reference, credential, USER_AGENT, timeoutMillis);
    Retrier retrier = new Retrier(policy, retries);
    this.manifests = new ManifestFetcher(http, reference, authenticator, retrier, USER_AGENT);
    this.blobs = new BlobFetcher(reference, authenticator, retrier, insecure, USER_AGENT, manifests::scheme);
  }

  static boolean isLoopback(String hostAndPort) {
    String host = hostAndPort;
    if (host.startsWith("[")) {
      host = host.substring(1, host.indexOf(']'));
    } else if (host.contains(":")) {
      host = host.substring(0, host.lastIndexOf(':'));
    }
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // never resolve names here: only literal loopback addresses count
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public ResolvedImage resolve(Platform platform) throws IOException {
    PulledDocument top = pullDocument(reference.manifestQualifier(), reference.digest(), "manifest of " + reference);
    if (top.document() instanceof ImageManifest manifest) {
      return new ResolvedImage(top.digest(), manifest, null, null);
    }
    ImageIndex index = (ImageIndex) top.document();
    Descriptor chosen = index.select(platform).orElseThrow(() -> new BootjException(
        BootjException.Kind.IMAGE_ACCESS,
        "image " + reference + " has no variant for " + platform + "; it offers "
            + index.manifests().stream().filter(d -> d.platform() != null).map(d -> d.platform().toString()).distinct().collect(Collectors.joining(", "))
            + "; choose one with --platform"));
    ManifestDocument inner = pullDocument(chosen.digest().toString(), chosen.digest(), "manifest of " + reference + " for " + platform).document();
    if (!(inner instanceof ImageManifest manifest)) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "the index of " + reference + " points to another index for " + platform + "; bootj reads one level only");
    }
    return new ResolvedImage(chosen.digest(), manifest, chosen.platform(), top.digest());
  }

  private record PulledDocument(Digest digest, ManifestDocument document) {}

  private PulledDocument pullDocument(String qualifier, Digest expected, String what) throws IOException {
    RawManifest pulled;
    try {
      pulled = manifests.fetch(qualifier);
    } catch (IOException | RuntimeException e) {
      throw RegistryFailure.translate(e, reference, "pull the manifest");
    }
    Digest actual = Digest.of(pulled.body());
    if (expected != null && !expected.equals(actual)) {
      throw new DigestMismatchException("the " + what, expected, actual);
    }
    return new PulledDocument(actual, new ManifestParser(what).parseDocument(pulled.body(), pulled.contentType()));
  }

  /**
   * The manifest tagged {@code tag} in this repository, exactly as sent, or empty when the registry
   * answers 404. For optional attachments such as cosign's {@code sha256-<hex>.sig} tag, whose
   * absence is not an error.
   */
  public Optional<RawManifest> fetchManifestIfPresent(String tag) throws BootjException {
    try {
      return Optional.of(manifests.fetch(tag));
    } catch (ResponseException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw RegistryFailure.translate(e, reference, "pull the manifest " + tag);
    } catch (IOException | RuntimeException e) {
      throw RegistryFailure.translate(e, reference, "pull the manifest " + tag);
    }
  }

  @Override
  public void fetch(Descriptor blob, OutputStream sink, LongConsumer progress) throws IOException {
    blobs.fetch(blob, sink, progress);
  }

  @Override
  public void close() throws IOException {
    try {
      blobs.close();
    } finally {
      http.shutDown();
    }
  }
}
