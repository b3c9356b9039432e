package dev.bootj.oci.registry;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.RegistryReference;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.util.Optional;

/**
 * Pushes small blobs and manifests to one repository through jib-core's registry client, with
 * the same credentials and TLS rules as {@link RegistrySource} but asking for push access. Made for
 * attachments such as cosign's {@code .sig} manifests, whose bytes bootj writes itself.
 */
public final class RegistryPusher implements Closeable {

  private static final String USER_AGENT = "bootj/0.1";

  private final RegistryReference repository;
  private final FailoverHttpClient http;
  private final Optional<Credential> credential;
  private RegistryClient client;

  /**
   * @param repository the repository to push to (its tag and digest are not used)
   * @param tlsVerify false allows plain HTTP and unverified certificates; loopback registries get
   *     that without asking, as for pulls
   */
  public RegistryPusher(RegistryReference repository, boolean tlsVerify, RegistryCredentials credentials) throws BootjException {
    this.repository = repository;
    boolean insecure = !tlsVerify || RegistrySource.isLoopback(repository.apiHost());
    this.http = new FailoverHttpClient(insecure, insecure, event -> {});
    this.credential = credentials.lookup(repository);
  }

  private RegistryClient client() throws BootjException {
    if (client == null) {
      RegistryClient.Factory factory =
          RegistryClient.factory(EventHandlers.NONE, repository.apiHost(), repository.repository(), http)
              .setUserAgent(USER_AGENT);
      credential.ifPresent(factory::setCredential);
      RegistryClient newClient = factory.newRegistryClient();
      try {
        if (!newClient.doPushBearerAuth() && credential.isPresent()) {
          newClient.configureBasicAuth();
        }
      } catch (IOException | RegistryException | RuntimeException e) {
        throw RegistryFailure.translate(e, repository, "authenticate for pushing");
      }
      client = newClient;
    }
    return client;
  }

  /** Uploads {@code content} unless the repository already has a blob of its digest; returns that digest. */
  public Digest pushBlob(byte[] content) throws BootjException {
    Digest digest = Digest.of(content);
    DescriptorDigest jibDigest = jibDigest(digest);
    try {
      if (client().checkBlob(jibDigest).isEmpty()) {
        // Retryable: the bytes are in memory, so jib may send them again after a failed attempt.
        client().pushBlob(jibDigest, Blobs.from(out -> out.write(content), true), null, written -> {});
      }
    } catch (IOException | RegistryException | RuntimeException e) {
      throw RegistryFailure.translate(e, repository, "push blob " + digest.shortHex());
    }
    return digest;
  }

  /**
   * PUTs {@code json} byte for byte as the manifest tagged {@code tag}, with Content-Type
   * {@code mediaType}; returns its digest. The blobs it names must have been pushed first.
   */
  public Digest pushManifest(byte[] json, String mediaType, String tag) throws BootjException {
    Digest expected = Digest.of(json);
    DescriptorDigest sent;
    try {
      sent = client().pushManifest(new VerbatimManifest(new String(json, StandardCharsets.UTF_8), mediaType), tag);
    } catch (IOException | RegistryException | RuntimeException e) {
      throw RegistryFailure.translate(e, repository, "push the manifest " + tag);
    }
    // jib hashes what it serialised; a difference would mean the bytes were rewritten on the way.
    if (!expected.toString().equals(sent.toString())) {
      throw new IllegalStateException("jib sent manifest " + sent + " instead of the bytes of " + expected);
    }
    return expected;
  }

  private static DescriptorDigest jibDigest(Digest digest) {
    try {
      return DescriptorDigest.fromDigest(digest.toString());
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    http.shutDown();
  }

  /**
   * jib pushes a {@link ManifestTemplate} it serialises with Jackson; this one serialises as the
   * given JSON text unchanged, so that the pushed bytes, and with them the digest, are bootj's.
   */
  private static final class VerbatimManifest implements ManifestTemplate {

    private final String json;
    private final String mediaType;

    VerbatimManifest(String json, String mediaType) {
      this.json = json;
      this.mediaType = mediaType;
    }

    @JsonValue
    RawValue json() {
      return new RawValue(json);
    }

    @Override
    public int getSchemaVersion() {
      return 2;
    }

    @Override
    public String getManifestMediaType() {
      return mediaType;
    }
  }
}
