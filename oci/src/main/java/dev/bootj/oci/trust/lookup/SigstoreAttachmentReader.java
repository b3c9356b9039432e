package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RawManifest;
import dev.bootj.oci.trust.CosignSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the cosign signatures of one image from its {@code sha256-<hex>.sig} tag: each layer of
 * media type {@value CosignAttachment#PAYLOAD_MEDIA_TYPE} that carries a signature annotation,
 * its payload downloaded and checked against the layer's digest. Other layers (attestations,
 * SBOMs) are not downloaded; a payload layer without a signature could never verify, so it is
 * left out too. At most {@value #MAX_SIGNATURES} signatures are read.
 */
final class SigstoreAttachmentReader {

  /** The same bound as for lookaside signatures; cosign itself caps the manifest at 1000 layers. */
  static final int MAX_SIGNATURES = LookasideReader.MAX_SIGNATURES;

  private SigstoreAttachmentReader() {}

  /**
   * @param repository the image's repository
   * @param image the image, for messages
   * @param manifestDigest the signed manifest's digest
   */
  static List<CosignSignature> read(AttachmentRepository repository, RegistryReference image, Digest manifestDigest)
      throws BootjException {
    RegistryReference tag = CosignAttachment.reference(image, manifestDigest);
    Optional<RawManifest> raw = repository.manifest(tag.tag());
    if (raw.isEmpty()) {
      return List.of();
    }
    ImageManifest manifest = CosignAttachment.parse(raw.get(), tag);
    List<CosignSignature> signatures = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      String signature = layer.annotations().get(CosignAttachment.SIGNATURE_ANNOTATION);
      if (!CosignAttachment.PAYLOAD_MEDIA_TYPE.equals(layer.mediaType()) || signature == null) {
        continue;
      }
      if (signatures.size() == MAX_SIGNATURES) {
        throw new BootjException(BootjException.Kind.INTEGRITY, "the cosign signature manifest " + tag
            + " holds more than " + MAX_SIGNATURES + " signatures; bootj reads no more, assuming a broken or hostile registry");
      }
      if (layer.size() > CosignAttachment.MAX_PAYLOAD_BYTES) {
        throw new BootjException(BootjException.Kind.INTEGRITY, "the cosign signature manifest " + tag + " names a payload of "
            + layer.size() + " bytes; refusing payloads larger than 4 MiB");
      }
      byte[] payload = repository.blob(layer, CosignAttachment.MAX_PAYLOAD_BYTES);
      Digest actual = Digest.of(payload);
      if (!actual.equals(layer.digest())) {
        throw new DigestMismatchException("the signature payload " + layer.digest().shortHex() + " of " + tag, layer.digest(), actual);
      }
      signatures.add(new CosignSignature(payload, signature));
    }
    return signatures;
  }
}
