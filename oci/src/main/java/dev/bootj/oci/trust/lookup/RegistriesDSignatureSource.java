package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.trust.CosignSignature;
import dev.bootj.oci.trust.ImageSignatures;
import dev.bootj.oci.trust.SignatureSource;
import java.io.IOException;
import java.util.List;

/**
 * The signatures containers-registries.d(5) points to, fetched as podman and skopeo fetch them:
 * simple-signing signatures from the image's lookaside, and, where {@code
 * use-sigstore-attachments} is true, cosign signatures from the image's {@code sha256-<hex>.sig}
 * tag. The registry is reached with the same credentials and TLS rules as for pulling the image.
 */
public final class RegistriesDSignatureSource implements SignatureSource {

  private final RegistriesD configuration;
  private final boolean tlsVerify;
  private final RegistryCredentials credentials;

  /**
   * @param configuration the registries.d directory, read
   * @param tlsVerify false allows plain HTTP and unverified certificates for the registry and
   *     accepts any certificate from an https lookaside
   * @param credentials registry credentials, as for pulls
   */
  public RegistriesDSignatureSource(RegistriesD configuration, boolean tlsVerify, RegistryCredentials credentials) {
    this.configuration = configuration;
    this.tlsVerify = tlsVerify;
    this.credentials = credentials;
  }

  @Override
  public ImageSignatures signaturesOf(RegistryReference image, Digest manifestDigest) throws BootjException {
    SignatureStorage storage = configuration.storageFor(image);
    LookasideLocation lookaside = new LookasideLocation(storage.lookaside(), image.repository());
    List<byte[]> simpleSigning = new LookasideReader(tlsVerify).read(lookaside, manifestDigest);
    List<CosignSignature> cosign = List.of();
    if (storage.useSigstoreAttachments()) {
      RegistryReference tag = CosignAttachment.reference(image, manifestDigest);
      try (RegistryAttachmentRepository repository = new RegistryAttachmentRepository(tag, tlsVerify, credentials)) {
        cosign = SigstoreAttachmentReader.read(repository, image, manifestDigest);
      } catch (BootjException e) {
        throw e;
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "cannot close the connection to " + tag.registry() + ": " + e.getMessage(), e);
      }
    }
    return new ImageSignatures(simpleSigning, cosign);
  }
}
