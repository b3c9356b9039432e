package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.trust.PolicyIdentity;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A containers-registries.d(5) directory: which lookaside and whether sigstore attachments apply to
 * an image. Scopes are looked up as containers/image does, from the image itself ({@code
 * host/repo:tag}) through its repository, each parent namespace, {@code host[:port]} and the
 * {@code *.domain} wildcards, to {@code default-docker}.
 *
 * <p>The man page says only the most specific matching scope is used. containers/image (and with
 * it skopeo and podman) resolves each setting on its own instead: a scope that does not set
 * {@code lookaside} lets the next wider scope that does supply it, and the same for {@code
 * use-sigstore-attachments}. bootj follows the code, so a directory means the same to bootj as to
 * the tools that wrote the signatures. With no lookaside configured anywhere, the built-in default
 * directory is used, as containers/image does.
 */
public final class RegistriesD {

  /** Where podman, skopeo and bootj look by default. */
  public static final Path SYSTEM_DIRECTORY = Path.of("/etc/containers/registries.d");

  /** containers/image's built-in lookaside for root: where {@code skopeo copy --sign-by} writes without configuration. */
  public static final URI ROOT_DEFAULT_LOOKASIDE = URI.create("file:///var/lib/containers/sigstore");

  private static final String BUILT_IN = "the built-in default";

  private final SignatureStorageSection defaultDocker;
  private final Map<String, SignatureStorageSection> docker;
  private final URI builtinLookaside;
  /** Sigstore attachments read for every image, whatever the files say ({@code verify --key}). */
  private final boolean attachmentsAlways;

  private RegistriesD(RegistriesDParser parsed, URI builtinLookaside) {
    this(parsed.defaultDocker(), Map.copyOf(parsed.docker()), builtinLookaside, false);
  }

  private RegistriesD(SignatureStorageSection defaultDocker, Map<String, SignatureStorageSection> docker,
      URI builtinLookaside, boolean attachmentsAlways) {
    this.defaultDocker = defaultDocker;
    this.docker = docker;
    this.builtinLookaside = builtinLookaside;
    this.attachmentsAlways = attachmentsAlways;
  }

  /**
   * The same configuration with {@code use-sigstore-attachments} on for every registry: what
   * {@code cosign verify --key} does, which always looks for the {@code .sig} tag.
   */
  public RegistriesD withSigstoreAttachments() {
    return new RegistriesD(defaultDocker, docker, builtinLookaside, true);
  }

  /** Reads {@code directory} (missing: nothing configured), with root's built-in lookaside. */
  public static RegistriesD load(Path directory) throws BootjException {
    return load(directory, ROOT_DEFAULT_LOOKASIDE);
  }

  /**
   * Reads {@code directory}; {@code builtinLookaside} applies where no scope configures one
   * ({@link #ROOT_DEFAULT_LOOKASIDE} for root, {@link #userDefaultLookaside} for other users).
   *
   * @throws BootjException (SYSTEM) naming the file and key when a file is not valid
   */
  public static RegistriesD load(Path directory, URI builtinLookaside) throws BootjException {
    return new RegistriesD(RegistriesDParser.parseDirectory(directory), builtinLookaside);
  }

  /** Parses file texts (file name to YAML) as if they were one directory's files; for tests. */
  static RegistriesD ofTexts(Map<String, String> fileToText, URI builtinLookaside) throws BootjException {
    return new RegistriesD(RegistriesDParser.parseTexts(fileToText), builtinLookaside);
  }

  /** containers/image's built-in lookaside for users other than root: {@code ~/.local/share/containers/sigstore}. */
  public static URI userDefaultLookaside(Path home) {
    return home.resolve(".local/share/containers/sigstore").toAbsolutePath().toUri();
  }

  /** Where the signatures of {@code image} are, by its most specific scope that sets each value. */
  public SignatureStorage storageFor(RegistryReference image) {
    List<SignatureStorageSection> sections = sectionsFor(image);
    SignatureStorageSection reading = first(sections, SignatureStorageSection::readUrl);
    SignatureStorageSection writing = first(sections, SignatureStorageSection::writeUrl);
    SignatureStorageSection attachments = first(sections, SignatureStorageSection::useSigstoreAttachments);
    return new SignatureStorage(
        reading == null ? builtinLookaside : reading.readUrl(),
        reading == null ? BUILT_IN : origin(reading),
        writing == null ? builtinLookaside : writing.writeUrl(),
        attachmentsAlways || (attachments != null && attachments.useSigstoreAttachments()));
  }

  /** The sections that apply to {@code image}, most specific first, {@code default-docker} last. */
  private List<SignatureStorageSection> sectionsFor(RegistryReference image) {
    PolicyIdentity identity;
    try {
      identity = PolicyIdentity.of(image);
    } catch (BootjException e) {
      throw new IllegalStateException("a registry reference needs no file system to be named", e);
    }
    List<SignatureStorageSection> sections = new ArrayList<>();
    List<String> scopes = new ArrayList<>();
    scopes.add(identity.identity());
    scopes.addAll(identity.namespaces());
    for (String scope : scopes) {
      SignatureStorageSection section = docker.get(scope);
      if (section != null) {
        sections.add(section);
      }
    }
    if (defaultDocker != null) {
      sections.add(defaultDocker);
    }
    return sections;
  }

  private static SignatureStorageSection first(List<SignatureStorageSection> sections, Function<SignatureStorageSection, ?> value) {
    for (SignatureStorageSection section : sections) {
      if (value.apply(section) != null) {
        return section;
      }
    }
    return null;
  }

  private static String origin(SignatureStorageSection section) {
    String scope = section.scope().equals(RegistriesDParser.DEFAULT_DOCKER)
        ? RegistriesDParser.DEFAULT_DOCKER
        : "docker scope \"" + section.scope() + "\"";
    return scope + " in " + section.file();
  }
}
