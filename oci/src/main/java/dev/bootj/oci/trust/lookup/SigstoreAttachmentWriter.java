package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.MediaTypes;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RawManifest;
import dev.bootj.oci.registry.RegistryCredentials;
import java.io.IOException;
import java.util.Optional;

/**
 * Adds one cosign signature to an image's {@code sha256-<hex>.sig} manifest in its registry, as
 * {@code cosign sign} does: the payload is pushed as a blob, then a new config blob, then the
 * manifest with the existing layers kept and the new one appended. A signature already there (same
 * payload and same base64 signature) is not added twice. The signature itself is made by the
 * caller; this class only stores it. Concurrent signers of one image can lose each other's
 * signature (the last manifest push wins), as with cosign.
 */
public final class SigstoreAttachmentWriter {

  private final boolean tlsVerify;
  private final RegistryCredentials credentials;

  /** What was done. */
  public enum Outcome {
    /** The signature was appended and the manifest pushed. */
    ADDED,
    /** The manifest already held this exact signature; nothing was pushed. */
    ALREADY_PRESENT
  }

  /**
   * @param signatureTag the tag written, {@code host/repo:sha256-<hex>.sig}
   * @param manifestDigest the digest of the signature manifest now under that tag
   * @param outcome whether anything was pushed
   */
  public record Result(RegistryReference signatureTag, Digest manifestDigest, Outcome outcome) {}

  /**
   * @param tlsVerify false allows plain HTTP and unverified certificates, as {@code --tls-verify=false}
   * @param credentials the credentials to push with (the same lookup as for pulls)
   */
  public SigstoreAttachmentWriter(boolean tlsVerify, RegistryCredentials credentials) {
    this.tlsVerify = tlsVerify;
    this.credentials = credentials;
  }

  /**
   * Stores {@code payload} and its {@code base64Signature} as a signature of the image {@code
   * manifestDigest} in {@code image}'s repository.
   *
   * @throws BootjException IMAGE_ACCESS when the registry cannot be reached or refuses the push;
   *     INTEGRITY when the existing signature manifest is not one bootj can extend
   */
  public Result addSignature(RegistryReference image, Digest manifestDigest, byte[] payload, String base64Signature)
      throws BootjException {
    RegistryReference tag = CosignAttachment.reference(image, manifestDigest);
    try (RegistryAttachmentRepository repository = new RegistryAttachmentRepository(tag, tlsVerify, credentials)) {
      return addSignature(repository, tag, payload, base64Signature);
    } catch (BootjException e) {
      throw e;
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "cannot close the connection to " + tag.registry() + ": " + e.getMessage(), e);
    }
  }

  static Result addSignature(AttachmentRepository repository, RegistryReference tag, byte[] payload, String base64Signature)
      throws BootjException {
    Digest payloadDigest = Digest.of(payload);
    Optional<RawManifest> existing = repository.manifest(tag.tag());
    CosignManifestEditor editor;
    if (existing.isPresent()) {
      ImageManifest manifest = CosignAttachment.parse(existing.get(), tag);
      for (Descriptor layer : manifest.layers()) {
        if (CosignAttachment.PAYLOAD_MEDIA_TYPE.equals(layer.mediaType()) && layer.digest().equals(payloadDigest)
            && layer.size() == payload.length
            && base64Signature.equals(layer.annotations().get(CosignAttachment.SIGNATURE_ANNOTATION))) {
          return new Result(tag, existing.get().digest(), Outcome.ALREADY_PRESENT);
        }
      }
      byte[] config = repository.blob(manifest.config(), CosignAttachment.MAX_CONFIG_BYTES);
      Digest configDigest = Digest.of(config);
      if (!configDigest.equals(manifest.config().digest())) {
        throw new DigestMismatchException("the config of " + tag, manifest.config().digest(), configDigest);
      }
      editor = CosignManifestEditor.of(existing.get().body(), config, "cosign signature manifest " + tag);
    } else {
      editor = CosignManifestEditor.empty();
    }
    repository.pushBlob(payload);
    editor.append(payloadDigest, payload.length, base64Signature);
    byte[] config = editor.configBytes();
    Digest configDigest = repository.pushBlob(config);
    byte[] manifest = editor.manifestBytes(configDigest, config.length);
    Digest pushed = repository.pushManifest(manifest, MediaTypes.OCI_MANIFEST, tag.tag());
    return new Result(tag, pushed, Outcome.ADDED);
  }
}
