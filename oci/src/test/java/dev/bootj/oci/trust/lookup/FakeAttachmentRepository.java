package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.registry.RawManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory repository: blobs by digest and manifests by tag, with a log of what was pushed. */
final class FakeAttachmentRepository implements AttachmentRepository {

  final Map<Digest, byte[]> blobs = new HashMap<>();
  final Map<String, RawManifest> manifests = new HashMap<>();
  final List<String> pushes = new ArrayList<>();
  final List<Digest> blobReads = new ArrayList<>();

  @Override
  public Optional<RawManifest> manifest(String tag) {
    return Optional.ofNullable(manifests.get(tag));
  }

  @Override
  public byte[] blob(Descriptor descriptor, int maxBytes) throws BootjException {
    blobReads.add(descriptor.digest());
    byte[] blob = blobs.get(descriptor.digest());
    if (blob == null) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "no blob " + descriptor.digest());
    }
    if (blob.length > maxBytes) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "too large");
    }
    return blob.clone();
  }

  @Override
  public Digest pushBlob(byte[] content) {
    Digest digest = Digest.of(content);
    blobs.put(digest, content.clone());
    pushes.add("blob " + digest);
    return digest;
  }

  @Override
  public Digest pushManifest(byte[] json, String mediaType, String tag) {
    manifests.put(tag, new RawManifest(json, mediaType));
    pushes.add("manifest " + tag);
    return Digest.of(json);
  }

  /** Stores {@code content} as a blob without logging a push, as if it had been there before. */
  Digest put(byte[] content) {
    Digest digest = Digest.of(content);
    blobs.put(digest, content.clone());
    return digest;
  }
}
