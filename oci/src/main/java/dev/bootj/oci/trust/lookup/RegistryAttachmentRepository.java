package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RawManifest;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.registry.RegistryPusher;
import dev.bootj.oci.registry.RegistrySource;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@link AttachmentRepository} over bootj's registry access ({@link RegistrySource}, and {@link
 * RegistryPusher} once something is pushed), so credentials, {@code --tls-verify=false} and
 * loopback registries behave exactly as for image pulls.
 */
final class RegistryAttachmentRepository implements AttachmentRepository, Closeable {

  private final RegistryReference reference;
  private final boolean tlsVerify;
  private final RegistryCredentials credentials;
  private final RegistrySource source;
  private RegistryPusher pusher;

  /** @param reference the attachment's tag in the image's repository, for access and for messages */
  RegistryAttachmentRepository(RegistryReference reference, boolean tlsVerify, RegistryCredentials credentials) throws BootjException {
    this.reference = reference;
    this.tlsVerify = tlsVerify;
    this.credentials = credentials;
    this.source = new RegistrySource(reference, tlsVerify, credentials);
  }

  @Override
  public Optional<RawManifest> manifest(String tag) throws BootjException {
    return source.fetchManifestIfPresent(tag);
  }

  @Override
  public byte[] blob(Descriptor descriptor, int maxBytes) throws BootjException {
    BoundedBuffer buffer = new BoundedBuffer(maxBytes, descriptor);
    try {
      source.fetch(descriptor, buffer, bytes -> {});
    } catch (BootjException e) {
      throw e;
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "cannot download blob " + descriptor.digest().shortHex()
          + " of " + reference + ": " + e.getMessage(), e);
    }
    return buffer.toByteArray();
  }

  @Override
  public Digest pushBlob(byte[] content) throws BootjException {
    return pusher().pushBlob(content);
  }

  @Override
  public Digest pushManifest(byte[] json, String mediaType, String tag) throws BootjException {
    return pusher().pushManifest(json, mediaType, tag);
  }

  private RegistryPusher pusher() throws BootjException {
    if (pusher == null) {
      pusher = new RegistryPusher(reference, tlsVerify, credentials);
    }
    return pusher;
  }

  @Override
  public void close() throws IOException {
    try {
      source.close();
    } finally {
      if (pusher != null) {
        pusher.close();
      }
    }
  }

  /** Collects a small blob in memory and refuses it once it passes the limit, mid-download. */
  private final class BoundedBuffer extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int maxBytes;
    private final Descriptor descriptor;

    BoundedBuffer(int maxBytes, Descriptor descriptor) {
      this.maxBytes = maxBytes;
      this.descriptor = descriptor;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (bytes.size() + (long) len > maxBytes) {
        // An IOException of our own, which RegistrySource reports as itself rather than as the registry's failure.
        throw new BootjException(BootjException.Kind.INTEGRITY, "blob " + descriptor.digest().shortHex() + " of " + reference
            + " is larger than " + maxBytes / (1024 * 1024) + " MiB; refusing it");
      }
      bytes.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }
}
