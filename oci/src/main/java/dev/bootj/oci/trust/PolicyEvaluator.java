package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.trust.sigstore.CosignSignatureVerifier;
import dev.bootj.oci.trust.sigstore.SigstorePublicKey;
import dev.bootj.oci.trust.simplesigning.InvalidSignatureException;
import dev.bootj.oci.trust.simplesigning.OpenPgpKeyring;
import dev.bootj.oci.trust.simplesigning.SimpleSigningVerifier;
import dev.bootj.oci.trust.simplesigning.VerifiedSignature;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether the signature policy accepts an image, once its manifest digest is known and
 * before anything of it is downloaded. Every requirement of the image's scope must hold, in the
 * policy's order, as in containers/image's {@code IsRunningImageAllowed}:
 *
 * <ul>
 *   <li>{@code insecureAcceptAnything} holds; {@code reject} refuses.
 *   <li>{@code signedBy} and {@code sigstoreSigned} hold when at least one of the image's
 *       signatures of their kind passes every check: made by a trusted key, cryptographically
 *       sound, a valid payload, signing exactly the resolved manifest digest, and claiming an
 *       identity the requirement's {@link SignedIdentity} accepts. Signatures that fail are
 *       skipped; when none passes, the refusal gives the reason of the one that got furthest.
 *       At most {@link #MAX_SIGNATURES} signatures are examined per requirement.
 * </ul>
 *
 * <p>cosign's payload names only the repository ({@code registry.example/os}), which the default
 * {@code matchRepoDigestOrExact} never accepts; a {@code sigstoreSigned} requirement for cosign
 * signatures therefore needs {@code "signedIdentity": {"type": "matchRepository"}}, as with
 * containers/image, and the refusal says so.
 *
 * <p>Trusted keys are read before the signatures are asked for; the {@link SignatureSource} is
 * asked at most once per evaluation and only when a requirement needs signatures. oci and
 * oci-archive images have no signatures, so {@code signedBy} and {@code sigstoreSigned} always
 * refuse them. A signature over another digest algorithm than sha256 (containers/image would
 * hash the manifest again with it) is refused as being for another digest.
 */
public final class PolicyEvaluator {

  /** The most signatures of one kind examined for one requirement. */
  public static final int MAX_SIGNATURES = 64;

  private final Clock clock;

  public PolicyEvaluator() {
    this(Clock.systemUTC());
  }

  /** @param clock decides "now" for OpenPGP key and signature expiry */
  public PolicyEvaluator(Clock clock) {
    this.clock = clock;
  }

  /**
   * Checks {@code image} against {@code requirements}.
   *
   * @param image the image as the user named it (its tag, if any, is what signatures must claim
   *     under the exact identity rules)
   * @param requirements the scope's requirements, from {@link Policy#requirementsFor}
   * @param manifestDigest the digest of the manifest bootj resolved and will use
   * @param signatures where the image's signatures are; asked lazily, at most once
   * @return how each requirement was met
   * @throws BootjException {@link BootjException.Kind#UNTRUSTED} naming the image, the scope and
   *     why when the policy refuses the image; {@link BootjException.Kind#SYSTEM} when a trusted
   *     key file is missing or unusable; whatever {@code signatures} throws when they cannot be read
   */
  public PolicyAcceptance evaluate(ImageReference image, ScopedRequirements requirements, Digest manifestDigest,
      SignatureSource signatures) throws BootjException {
    return new Evaluation(image, requirements, manifestDigest, signatures).run();
  }

  /** One image's evaluation: holds the signatures once they have been fetched. */
  private final class Evaluation {
    private final ImageReference image;
    private final ScopedRequirements scoped;
    private final Digest manifestDigest;
    private final SignatureSource source;
    private ImageSignatures fetched;

    Evaluation(ImageReference image, ScopedRequirements scoped, Digest manifestDigest, SignatureSource source) {
      this.image = image;
      this.scoped = scoped;
      this.manifestDigest = manifestDigest;
      this.source = source;
    }

    PolicyAcceptance run() throws BootjException {
      if (scoped.requirements().isEmpty()) {
        throw refused(null, "the scope lists no requirement, so nothing can accept the image");
      }
      List<SatisfiedRequirement> satisfied = new ArrayList<>();
      for (Requirement requirement : scoped.requirements()) {
        satisfied.add(check(requirement));
      }
      return new PolicyAcceptance(scoped.scope(), satisfied);
    }

    private SatisfiedRequirement check(Requirement requirement) throws BootjException {
      if (requirement instanceof Requirement.InsecureAcceptAnything) {
        return SatisfiedRequirement.withoutSignature(requirement.type());
      }
      if (requirement instanceof Requirement.Reject) {
        throw new BootjException(BootjException.Kind.UNTRUSTED, image + " is refused: the signature policy rejects every"
            + " image in scope " + scoped.scope() + "; add a scope that accepts it if it should be trusted");
      }
      if (requirement instanceof Requirement.SignedBy signedBy) {
        RegistryReference registryImage = requireRegistry(requirement);
        SimpleSigningVerifier verifier = new SimpleSigningVerifier(keyring(signedBy.keys()), clock);
        ImageSignatures all = signatures(registryImage);
        List<byte[]> candidates = all.simpleSigning();
        return firstPassing(requirement, signedBy.signedIdentity(), signedBy.keys(), registryImage, candidates.size(),
            i -> verifier.verify(candidates.get(i)),
            "no signature: signedBy needs a simple-signing (GPG) signature in the lookaside that registries.d names"
                + otherKind(all.cosign().size(), "cosign", "signedBy"));
      }
      Requirement.SigstoreSigned sigstore = (Requirement.SigstoreSigned) requirement;
      RegistryReference registryImage = requireRegistry(requirement);
      CosignSignatureVerifier verifier = new CosignSignatureVerifier(sigstoreKeys(sigstore.keys()));
      ImageSignatures all = signatures(registryImage);
      List<CosignSignature> candidates = all.cosign();
      return firstPassing(requirement, sigstore.signedIdentity(), sigstore.keys(), registryImage, candidates.size(),
          i -> verifier.verify(candidates.get(i).payload(), candidates.get(i).base64Signature()),
          "no signature: sigstoreSigned needs a cosign signature (the sha256-" + manifestDigest.hex()
              + ".sig tag, read when registries.d sets use-sigstore-attachments: true)"
              + otherKind(all.simpleSigning().size(), "simple-signing", "sigstoreSigned"));
    }

    private SatisfiedRequirement firstPassing(Requirement requirement, SignedIdentity identity, KeySource keys,
        RegistryReference registryImage, int count, SignatureCheck check, String noSignature) throws BootjException {
      if (count == 0) {
        throw refused(requirement, noSignature);
      }
      int examined = Math.min(count, MAX_SIGNATURES);
      Rejection best = null;
      for (int i = 0; i < examined; i++) {
        Rejection rejection;
        try {
          VerifiedSignature verified = check.verify(i);
          String signedDigest = verified.payload().manifestDigest();
          String signedReference = verified.payload().dockerReference();
          if (!signedDigest.equals(manifestDigest.toString())) {
            rejection = new Rejection(Rejection.WRONG_DIGEST, "the signature is for digest " + signedDigest
                + ", not " + manifestDigest + " (signed by key " + verified.keyFingerprint() + ")");
          } else if (!identity.matches(registryImage, signedReference)) {
            rejection = new Rejection(Rejection.WRONG_IDENTITY, "signed identity " + JsonPath.quote(signedReference)
                + " does not match " + registryImage + " under signedIdentity " + identity.type()
                + cosignHint(identity, signedReference));
          } else {
            return new SatisfiedRequirement(requirement.type(), verified.keyFingerprint(), signedReference);
          }
        } catch (InvalidSignatureException e) {
          rejection = Rejection.of(e, keys);
        }
        if (best == null || rejection.rank() > best.rank()) {
          best = rejection;
        }
      }
      String tally = count == 1 ? ""
          : examined < count ? " (the closest of the first " + examined + " of " + count + " signatures)"
          : " (the closest of " + count + " signatures)";
      throw refused(requirement, best.reason() + tally);
    }

    private RegistryReference requireRegistry(Requirement requirement) throws BootjException {
      if (image instanceof RegistryReference registry) {
        return registry;
      }
      throw refused(requirement, "oci layouts and archives carry no signatures, so " + requirement.type()
          + " can never hold for them; use a scope that accepts the layout, or pull the image from a registry");
    }

    private ImageSignatures signatures(RegistryReference registryImage) throws BootjException {
      if (fetched == null) {
        ImageSignatures found = source.signaturesOf(registryImage, manifestDigest);
        fetched = found == null ? ImageSignatures.NONE : found;
      }
      return fetched;
    }

    private OpenPgpKeyring keyring(KeySource keys) throws BootjException {
      List<OpenPgpKeyring> keyrings = new ArrayList<>();
      for (KeySourceReader.KeyBytes key : KeySourceReader.read(keys, OpenPgpKeyring.MAX_BYTES, context("signedBy"))) {
        try {
          keyrings.add(OpenPgpKeyring.parse(key.bytes()));
        } catch (InvalidKeyException e) {
          throw unusableKey(key, "signedBy", e);
        }
      }
      return OpenPgpKeyring.union(keyrings);
    }

    private List<SigstorePublicKey> sigstoreKeys(KeySource keys) throws BootjException {
      List<SigstorePublicKey> parsed = new ArrayList<>();
      for (KeySourceReader.KeyBytes key : KeySourceReader.read(keys, SigstorePublicKey.MAX_PEM_BYTES, context("sigstoreSigned"))) {
        try {
          parsed.add(SigstorePublicKey.parsePem(key.bytes()));
        } catch (InvalidKeyException e) {
          throw unusableKey(key, "sigstoreSigned", e);
        }
      }
      return parsed;
    }

    private BootjException unusableKey(KeySourceReader.KeyBytes key, String type, InvalidKeyException e) {
      return new BootjException(BootjException.Kind.SYSTEM, "the trusted key " + key.origin() + " of " + context(type)
          + " is not usable: " + e.getMessage() + "; fix the key or the policy", e);
    }

    private String context(String type) {
      return "the " + type + " requirement of signature policy scope " + scoped.scope();
    }

    private BootjException refused(Requirement requirement, String why) {
      return new BootjException(BootjException.Kind.UNTRUSTED, image + " is refused by signature policy scope "
          + scoped.scope() + (requirement == null ? "" : " (" + requirement.type() + ")") + ": " + why);
    }
  }

  private static String otherKind(int count, String kind, String type) {
    return count == 0 ? "" : "; the image has " + count + " " + kind + " signature" + (count == 1 ? "" : "s")
        + ", which " + type + " does not read";
  }

  // cosign's payload names the repository alone; only the repository-matching rules can accept that.
  private static String cosignHint(SignedIdentity identity, String signedReference) {
    if (identity instanceof SignedIdentity.MatchRepository || identity instanceof SignedIdentity.ExactRepository) {
      return "";
    }
    try {
      if (DockerName.parse(signedReference).isNameOnly()) {
        return "; the signature names only a repository, as cosign's do: write \"signedIdentity\":"
            + " {\"type\": \"matchRepository\"} in the policy to accept it";
      }
    } catch (IllegalArgumentException e) {
      // not a reference at all: no hint helps
    }
    return "";
  }

  /** Verifies the {@code index}-th signature of a requirement's kind. */
  @FunctionalInterface
  private interface SignatureCheck {
    VerifiedSignature verify(int index) throws InvalidSignatureException;
  }

  /** Why one signature did not count, and how far it got (a higher rank is the more useful reason). */
  private record Rejection(int rank, String reason) {
    static final int WRONG_DIGEST = 10;
    static final int WRONG_IDENTITY = 11;

    static Rejection of(InvalidSignatureException e, KeySource keys) {
      return switch (e.problem()) {
        case MALFORMED -> new Rejection(0, "the signature is malformed: " + e.getMessage());
        case UNTRUSTED_KEY -> new Rejection(1, "signed by an untrusted key: " + e.getMessage() + "; trusted: "
            + keysText(keys));
        case BAD_SIGNATURE -> new Rejection(2, "bad signature: " + e.getMessage());
        case INVALID_PAYLOAD -> new Rejection(3, "the signed payload is invalid: " + e.getMessage());
      };
    }

    private static String keysText(KeySource keys) {
      if (keys instanceof KeySource.Files files) {
        return files.field() + " " + String.join(", ", files.paths().stream().map(Object::toString).toList());
      }
      return keys.field();
    }
  }
}
