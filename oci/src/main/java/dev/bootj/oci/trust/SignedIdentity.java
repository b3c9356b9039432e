package dev.bootj.oci.trust;

import dev.bootj.oci.reference.RegistryReference;
import java.util.regex.Pattern;

/**
 * Which identity a signature must claim for an image: the {@code signedIdentity} of a
 * {@code signedBy} or {@code sigstoreSigned} requirement in containers-policy.json(5). Absent, it
 * is {@link MatchRepoDigestOrExact}.
 *
 * <p>{@link #matches} follows containers/image's {@code policy_reference_match.go}. The image's
 * identity is the reference the user asked for; when it carries both a tag and a digest, the
 * digest decides what is pulled, so the tag is dropped (containers/image refuses such references;
 * podman drops the tag too).
 */
public sealed interface SignedIdentity {

  /** The {@code type} value in policy.json. */
  String type();

  /**
   * Whether a signature claiming {@code signedDockerReference} (the {@code docker-reference} of a
   * simple-signing payload, or cosign's repository) is acceptable for {@code image}. A claimed
   * reference that does not parse never matches.
   */
  boolean matches(RegistryReference image, String signedDockerReference);

  /** The signature must name exactly the image's reference; a digest reference matches only a digest. */
  record MatchExact() implements SignedIdentity {
    @Override
    public String type() {
      return "matchExact";
    }

    @Override
    public boolean matches(RegistryReference image, String signedDockerReference) {
      DockerName signed = parseOrNull(signedDockerReference);
      return signed != null && !signed.isNameOnly() && signed.toString().equals(identityOf(image).toString());
    }
  }

  /**
   * A tagged image needs exactly its reference in the signature; a digest image accepts any
   * tag or digest of its repository (the digest itself is checked against the manifest elsewhere).
   */
  record MatchRepoDigestOrExact() implements SignedIdentity {
    @Override
    public String type() {
      return "matchRepoDigestOrExact";
    }

    @Override
    public boolean matches(RegistryReference image, String signedDockerReference) {
      DockerName signed = parseOrNull(signedDockerReference);
      return signed != null && repoDigestOrExact(identityOf(image), signed);
    }
  }

  /** The signature must name the image's repository, with any tag or digest, or none. */
  record MatchRepository() implements SignedIdentity {
    @Override
    public String type() {
      return "matchRepository";
    }

    @Override
    public boolean matches(RegistryReference image, String signedDockerReference) {
      DockerName signed = parseOrNull(signedDockerReference);
      return signed != null && signed.name().equals(identityOf(image).name());
    }
  }

  /**
   * The signature must name exactly {@code dockerReference}, whatever the image is called here
   * (a local mirror of an image signed under its public name).
   *
   * @param dockerReference a reference with a tag or digest, as written in the policy
   */
  record ExactReference(String dockerReference) implements SignedIdentity {
    /** @throws IllegalArgumentException when the value is no reference or has neither tag nor digest */
    public ExactReference {
      DockerName parsed = DockerName.parse(dockerReference);
      if (parsed.isNameOnly()) {
        throw new IllegalArgumentException("'" + dockerReference + "' has neither a tag nor a digest");
      }
    }

    @Override
    public String type() {
      return "exactReference";
    }

    @Override
    public boolean matches(RegistryReference image, String signedDockerReference) {
      DockerName signed = parseOrNull(signedDockerReference);
      return signed != null && !signed.isNameOnly()
          && signed.toString().equals(DockerName.parse(dockerReference).toString());
    }
  }

  /**
   * The signature must name {@code dockerRepository}'s repository, with any tag or digest.
   *
   * @param dockerRepository a repository (a tag or digest, if written, is ignored in matching)
   */
  record ExactRepository(String dockerRepository) implements SignedIdentity {
    /** @throws IllegalArgumentException when the value is not a docker reference */
    public ExactRepository {
      DockerName.parse(dockerRepository);
    }

    @Override
    public String type() {
      return "exactRepository";
    }

    @Override
    public boolean matches(RegistryReference image, String signedDockerReference) {
      DockerName signed = parseOrNull(signedDockerReference);
      return signed != null && signed.name().equals(DockerName.parse(dockerRepository).name());
    }
  }

  /**
   * When the image's repository is {@code prefix} or below it, {@code prefix} is replaced by
   * {@code signedPrefix} before {@link MatchRepoDigestOrExact}'s rule applies; other images are
   * matched unchanged. Prefixes are compared as whole {@code /}-separated components of the fully
   * expanded name.
   *
   * @param prefix a {@code host[:port]}, namespace or repository as this machine names it
   * @param signedPrefix the same, as the signer named it
   */
  record RemapIdentity(String prefix, String signedPrefix) implements SignedIdentity {
    private static final Pattern DOMAIN_ONLY = Pattern.compile(DockerName.DOMAIN);
    private static final Pattern NAME = Pattern.compile(DockerName.NAME);
    private static final Pattern STARTS_WITH_DOMAIN = Pattern.compile(DockerName.DOMAIN + "/.*", Pattern.DOTALL);

    /** @throws IllegalArgumentException naming the prefix that is neither a host nor a name with a host */
    public RemapIdentity {
      requireValidPrefix("prefix", prefix);
      requireValidPrefix("signedPrefix", signedPrefix);
    }

    // As containers/image: a bare host[:port], or a name that starts with one. Like it, this lets
    // "library/busybox" through ("library" looks like a host); such a prefix simply never matches.
    private static void requireValidPrefix(String field, String value) {
      boolean valid = value != null
          && (DOMAIN_ONLY.matcher(value).matches()
              || (NAME.matcher(value).matches() && STARTS_WITH_DOMAIN.matcher(value).matches()));
      if (!valid) {
        throw new IllegalArgumentException(
            field + " '" + value + "' is neither a host[:port] nor a host[:port]/namespace or repository");
      }
    }

    @Override
    public String type() {
      return "remapIdentity";
    }

    @Override
    public boolean matches(RegistryReference image, String signedDockerReference) {
      DockerName signed = parseOrNull(signedDockerReference);
      if (signed == null) {
        return false;
      }
      DockerName intended = identityOf(image);
      if (isUnderPrefix(intended.name())) {
        String rewritten = signedPrefix + intended.toString().substring(prefix.length());
        DockerName remapped = parseOrNull(rewritten);
        // The rewritten reference must already be in canonical form (containers/image uses
        // ParseNamed here): "docker.io/busybox" is not an acceptable spelling of a remapped name.
        if (remapped == null || !remapped.toString().equals(rewritten)) {
          return false;
        }
        intended = remapped;
      }
      return repoDigestOrExact(intended, signed);
    }

    private boolean isUnderPrefix(String name) {
      return name.equals(prefix) || (name.startsWith(prefix) && name.charAt(prefix.length()) == '/');
    }
  }

  /** The image as containers/image names it for identity checks: tag dropped when pinned by digest. */
  private static DockerName identityOf(RegistryReference image) {
    return PolicyIdentity.dockerName(image);
  }

  private static boolean repoDigestOrExact(DockerName intended, DockerName signed) {
    if (signed.isNameOnly()) {
      return false;
    }
    if (intended.tag() != null) {
      return signed.toString().equals(intended.toString());
    }
    if (intended.digest() != null) {
      return signed.name().equals(intended.name());
    }
    return false;
  }

  private static DockerName parseOrNull(String text) {
    try {
      return DockerName.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
