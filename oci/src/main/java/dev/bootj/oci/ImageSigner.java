package dev.bootj.oci;

import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.trust.lookup.SigstoreAttachmentWriter;
import dev.bootj.oci.trust.sigstore.CosignKeyPairGenerator;
import dev.bootj.oci.trust.sigstore.SigstoreSigner;
import dev.bootj.oci.trust.simplesigning.SignaturePayload;
import java.io.IOException;
import java.security.KeyPair;

/**
 * {@code bootj image sign}: signs what an image reference names now, as {@code cosign sign --key}
 * does: a cosign payload naming the repository and the digest (the index's when the reference
 * names one), signed with the private key and added to the repository's {@code sha256-<hex>.sig}
 * tag, next to any signatures already there.
 */
public final class ImageSigner {

  /**
   * What was signed.
   *
   * @param signedDigest the digest the signature covers
   * @param signatureTag where the signature is: {@code registry/repo:sha256-<hex>.sig}
   * @param added false when the same signature was already there
   */
  public record Signed(String reference, Digest signedDigest, String dockerReference, String keyFingerprint,
      String signatureTag, boolean added) {}

  private final BlobStore store;
  private final PullOptions options;

  public ImageSigner(BlobStore store, PullOptions options) {
    this.store = store;
    this.options = options;
  }

  public Signed sign(RegistryReference image, KeyPair key, String keySource) throws IOException {
    SigstoreSigner signer = SigstoreSigner.of(key.getPrivate(), keySource);
    // Resolved again, unverified (signing is how an image becomes verifiable): the tag's digest now.
    InspectedImage inspected = new ImageInspector(store, options).inspect(image, PullPolicy.ALWAYS);
    Digest digest = inspected.signedDigest();
    // cosign's payload names the repository only; policies match it with matchRepository.
    String repository = image.registry() + "/" + image.repository();
    byte[] payload = new SignaturePayload(repository, digest.toString()).toJson(SignaturePayload.Format.COSIGN);
    SigstoreAttachmentWriter.Result written = new SigstoreAttachmentWriter(options.tlsVerify(), options.credentials())
        .addSignature(image, digest, payload, signer.signBase64(payload));
    return new Signed(inspected.reference(), digest, repository, CosignKeyPairGenerator.fingerprint(key.getPublic()),
        written.signatureTag().toString(), written.outcome() == SigstoreAttachmentWriter.Outcome.ADDED);
  }
}
