package dev.bootj.oci.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryClient;
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
import java.security.DigestException;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/** Pulls manifests and blobs through jib-core's registry client. */
public final class RegistrySource implements ImageSource {

  private static final String USER_AGENT = "bootj/0.1";

  private final RegistryReference reference;
  private final FailoverHttpClient http;
  private final Optional<Credential> credential;
  private final ManifestFetcher manifests;
  private RegistryClient client;

  /**
   * @param tlsVerify false allows plain HTTP and unverified certificates for any registry; loopback
   *     registries get that without asking, as docker treats them
   */
  public RegistrySource(RegistryReference reference, boolean tlsVerify, RegistryCredentials credentials) throws BootjException {
    this.reference = reference;
    boolean insecure = !tlsVerify || isLoopback(reference.apiHost());
    this.http = new FailoverHttpClient(insecure, insecure, event -> {});
    this.credential = credentials.lookup(reference);
    this.manifests = new ManifestFetcher(http, reference, credential, USER_AGENT);
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

  private RegistryClient client() throws BootjException {
    if (client == null) {
      RegistryClient.Factory factory =
          RegistryClient.factory(EventHandlers.NONE, reference.apiHost(), reference.repository(), http)
              .setUserAgent(USER_AGENT);
      credential.ifPresent(factory::setCredential);
      RegistryClient newClient = factory.newRegistryClient();
      try {
        // Bearer registries answer with a challenge that jib follows; a registry that wants basic
        // auth says so, and then the credentials go in every request.
        if (!newClient.doPullBearerAuth() && credential.isPresent()) {
          newClient.configureBasicAuth();
        }
      } catch (IOException | RegistryException | RuntimeException e) {
        throw RegistryFailure.translate(e, reference, "authenticate");
      }
      client = newClient;
    }
    return client;
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
    DescriptorDigest digest;
    try {
      digest = DescriptorDigest.fromDigest(blob.digest().toString());
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
    SinkGuard guarded = new SinkGuard(sink);
    try {
      client().pullBlob(digest, size -> {}, progress::accept).writeTo(guarded);
    } catch (IOException | RuntimeException e) {
      // A failure of our own side (disk full, a bad layer) is reported as itself, not as the registry's.
      guarded.rethrowOwnFailure();
      throw RegistryFailure.translate(e, reference, "download blob " + blob.digest().shortHex());
    }
  }

  @Override
  public void close() throws IOException {
    http.shutDown();
  }
}
