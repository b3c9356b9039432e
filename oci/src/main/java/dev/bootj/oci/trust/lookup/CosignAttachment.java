package dev.bootj.oci.trust.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.ManifestDocument;
import dev.bootj.oci.manifest.ManifestParser;
import dev.bootj.oci.manifest.MediaTypes;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RawManifest;
import java.util.Locale;

/**
 * cosign's convention for signatures stored in the image's own repository, which
 * containers/image reads as "sigstore attachments": an OCI image manifest tagged {@code
 * sha256-<hex>.sig} whose layers are the signed payloads ({@value #PAYLOAD_MEDIA_TYPE}), each with
 * its base64 signature in the annotation {@value #SIGNATURE_ANNOTATION}.
 */
final class CosignAttachment {

  static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  /** containers/image's iolimits.MaxSignatureBodySize, for each payload. */
  static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
  /** containers/image's iolimits.MaxConfigBodySize, for the attachment manifest's config. */
  static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

  private CosignAttachment() {}

  /** {@code sha256-<hex>.sig}: the tag of {@code manifest}'s signatures. */
  static String tag(Digest manifest) {
    return manifest.algorithm() + "-" + manifest.hex() + ".sig";
  }

  /** The signature tag of {@code manifest} in {@code image}'s repository. */
  static RegistryReference reference(RegistryReference image, Digest manifest) {
    return new RegistryReference(image.registry(), image.repository(), tag(manifest), null);
  }

  /**
   * Parses a signature manifest. Like containers/image, only an OCI image manifest is accepted,
   * by its Content-Type and by its own {@code mediaType} when it has one.
   *
   * @throws BootjException (INTEGRITY) naming {@code where} when it is something else or malformed
   */
  static ImageManifest parse(RawManifest raw, RegistryReference where) throws BootjException {
    String what = "cosign signature manifest " + where;
    String contentType = raw.contentType() == null ? null : raw.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    ManifestParser parser = new ManifestParser(what);
    JsonNode tree = parser.readTree(raw.body());
    String declared = tree.path("mediaType").asText(null);
    for (String type : new String[] {contentType, declared}) {
      if (type != null && !type.equals(MediaTypes.OCI_MANIFEST)) {
        throw new BootjException(BootjException.Kind.INTEGRITY, "the " + what + " is a '" + type
            + "', not an OCI image manifest (" + MediaTypes.OCI_MANIFEST + "); it is not what cosign writes");
      }
    }
    ManifestDocument document = parser.parseDocument(tree, MediaTypes.OCI_MANIFEST);
    if (!(document instanceof ImageManifest manifest)) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "the " + what + " is an index, not an image manifest");
    }
    return manifest;
  }
}
