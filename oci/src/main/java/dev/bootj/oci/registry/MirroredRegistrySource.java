package dev.bootj.oci.registry;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.conf.PullEndpoint;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.source.ResolvedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * An image reached through the endpoints registries.conf gives it: each mirror in order, then
 * the primary location. The first endpoint that resolves the manifest serves all of the image's
 * blobs, as with containers/image; digests are checked as always, so a mirror can make a pull
 * fail but never change what is pulled for a digest.
 */
public final class MirroredRegistrySource implements ImageSource {

  private final RegistryReference image;
  private final List<PullEndpoint> endpoints;
  private final boolean tlsVerify;
  private final RegistryCredentials credentials;
  private final RetryPolicy retryPolicy;
  private final Consumer<RetryNotice> retries;
  private RegistrySource chosen;

  /**
   * @param endpoints at least one; the last is the primary location
   * @param retryPolicy how each endpoint's requests are retried (a mirror is given up for the
   *     next only once its retries are spent)
   * @param retries hears of each retry
   */
  public MirroredRegistrySource(RegistryReference image, List<PullEndpoint> endpoints, boolean tlsVerify,
      RegistryCredentials credentials, RetryPolicy retryPolicy, Consumer<RetryNotice> retries) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint for " + image);
    }
    this.image = image;
    this.endpoints = List.copyOf(endpoints);
    this.tlsVerify = tlsVerify;
    this.credentials = credentials;
    this.retryPolicy = retryPolicy;
    this.retries = retries;
  }

  @Override
  public ResolvedImage resolve(Platform platform) throws IOException {
    BootjException mirrorsFailed = null;
    for (int i = 0; i < endpoints.size(); i++) {
      PullEndpoint endpoint = endpoints.get(i);
      RegistrySource source = new RegistrySource(endpoint.reference(), tlsVerify && !endpoint.insecure(), credentials,
          retryPolicy, retries);
      try {
        ResolvedImage resolved = source.resolve(platform);
        chosen = source;
        return resolved;
      } catch (BootjException e) {
        source.close();
        if (i == endpoints.size() - 1) {
          throw mirrorsFailed == null ? e : new BootjException(e.kind(), e.getMessage() + " (its mirrors failed too: "
              + mirrorsFailed.getMessage() + ")", e);
        }
        mirrorsFailed = e;
      }
    }
    throw new IllegalStateException("unreachable: the primary location's failure is thrown above for " + image);
  }

  @Override
  public void fetch(Descriptor blob, OutputStream sink, LongConsumer progress) throws IOException {
    if (chosen == null) {
      throw new IllegalStateException("resolve " + image + " before fetching its blobs");
    }
    chosen.fetch(blob, sink, progress);
  }

  @Override
  public void close() throws IOException {
    if (chosen != null) {
      chosen.close();
    }
  }
}
