package dev.bootj.oci;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.RootResolver;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.trust.KeySource;
import dev.bootj.oci.trust.Policy;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.oci.trust.PolicyEvaluator;
import dev.bootj.oci.trust.PolicyParser;
import dev.bootj.oci.trust.Requirement;
import dev.bootj.oci.trust.ScopedRequirements;
import dev.bootj.oci.trust.SignedIdentity;
import dev.bootj.oci.trust.lookup.RegistriesD;
import dev.bootj.oci.trust.lookup.RegistriesDSignatureSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signature policy a command follows: which containers-policy.json(5) and which
 * containers-registries.d(5) directory, and the check of one image against them, made once the
 * manifest digest is known and before any layer is fetched.
 *
 * <p>Given paths ({@code --signature-policy}, {@code --registries.d}) are used as they are. The
 * defaults are podman's and skopeo's, {@code /etc/containers/...}, read under a machine root:
 * this host's {@code /}, or with {@link #forMachineRoot} the root of an installed machine, so
 * that an update of a disk follows that machine's own policy and keys, not the host's.
 *
 * <p>Fail closed: a missing or malformed policy file refuses every image. Files are read at the
 * first check, so a command that never reads an image never needs them.
 */
public final class TrustPolicy {

  public static final Path DEFAULT_POLICY = Path.of("/etc/containers/policy.json");
  public static final Path DEFAULT_REGISTRIES_D = RegistriesD.SYSTEM_DIRECTORY;

  private final Path policyFile;
  private final boolean policyGiven;
  private final Path registriesD;
  private final boolean registriesDGiven;
  /** The machine root the default files are read under; null for this host. */
  private final Path machineRoot;
  /** That machine, for messages ("disk /srv/vm.img"). */
  private final String machine;
  /** Requirements given directly instead of a policy file ({@link #requiringKey}); null otherwise. */
  private final ScopedRequirements given;
  /** A verdict given before ({@link #acceptedBefore}); null otherwise. */
  private final PolicyAcceptance recorded;
  /** The digests {@link #recorded} holds for: the manifest's, and the index's it was reached through. */
  private final Set<Digest> recordedDigests;
  private Policy policy;

  private TrustPolicy(Path policyFile, boolean policyGiven, Path registriesD, boolean registriesDGiven, Path machineRoot,
      String machine) {
    this.policyFile = policyFile;
    this.policyGiven = policyGiven;
    this.registriesD = registriesD;
    this.registriesDGiven = registriesDGiven;
    this.machineRoot = machineRoot;
    this.machine = machine;
    this.given = null;
    this.recorded = null;
    this.recordedDigests = null;
  }

  private TrustPolicy(ScopedRequirements given, Path registriesD) {
    this.policyFile = null;
    this.policyGiven = true;
    this.registriesD = registriesD != null ? registriesD : DEFAULT_REGISTRIES_D;
    this.registriesDGiven = registriesD != null;
    this.machineRoot = null;
    this.machine = null;
    this.given = given;
    this.recorded = null;
    this.recordedDigests = null;
  }

  private TrustPolicy(PolicyAcceptance recorded, Set<Digest> recordedDigests) {
    this.policyFile = null;
    this.policyGiven = true;
    this.registriesD = DEFAULT_REGISTRIES_D;
    this.registriesDGiven = true;
    this.machineRoot = null;
    this.machine = null;
    this.given = null;
    this.recorded = recorded;
    this.recordedDigests = recordedDigests;
  }

  /**
   * A verdict the policy already gave for one manifest, for the later steps of the same update
   * (so signatures are not fetched and verified twice) and for staging a download later with no
   * network ({@code --from-downloaded}), as bootc does: it holds for that manifest only; any other
   * is refused. A recorded verdict sits in the machine's state, which only root writes, like the
   * blobs it vouches for.
   */
  public static TrustPolicy acceptedBefore(PolicyAcceptance acceptance, Digest... digests) {
    // The manifest's and the index's digest are one when the reference named the manifest itself.
    return new TrustPolicy(acceptance, Set.copyOf(Arrays.asList(digests)));
  }

  /**
   * One requirement instead of a policy file, as {@code cosign verify --key} checks: a sigstore
   * signature by {@code publicKey} that names the image's repository (cosign's payloads name no
   * tag, so the identity rule is {@code matchRepository}).
   */
  public static TrustPolicy requiringKey(Path publicKey, Path registriesD) {
    return new TrustPolicy(new ScopedRequirements("--key " + publicKey, List.of(new Requirement.SigstoreSigned(
        new KeySource.Files("keyPath", List.of(publicKey)), new SignedIdentity.MatchRepository()))), registriesD);
  }

  /** This host's files, or those given ({@code null}: the default). */
  public static TrustPolicy of(Path policyFile, Path registriesD) {
    return new TrustPolicy(policyFile != null ? policyFile : DEFAULT_POLICY, policyFile != null,
        registriesD != null ? registriesD : DEFAULT_REGISTRIES_D, registriesD != null, null, null);
  }

  /**
   * The default files of the machine whose root tree is at {@code root} (given files stay as
   * given). Paths inside that machine, the key files its policy names included, are followed as
   * that machine would follow them (chroot-style), never into this host's files.
   */
  public TrustPolicy forMachineRoot(Path root, String machine) throws BootjException {
    if (root.equals(Path.of("/"))) {
      return this;
    }
    return new TrustPolicy(policyGiven ? policyFile : inside(root, DEFAULT_POLICY), policyGiven,
        registriesDGiven ? registriesD : inside(root, DEFAULT_REGISTRIES_D), registriesDGiven, policyGiven ? null : root,
        machine);
  }

  /** Whether {@link #forMachineRoot} would read any file of the machine (a path was left to its default). */
  public boolean readsMachineFiles() {
    return given == null && (!policyGiven || !registriesDGiven);
  }

  public Path policyFile() {
    return policyFile;
  }

  public Path registriesD() {
    return registriesD;
  }

  /**
   * Checks {@code image}, resolved to {@code manifestDigest}, against the policy; its signatures
   * are fetched (lookaside, sigstore attachments) only when a requirement needs them.
   *
   * @throws BootjException {@link BootjException.Kind#UNTRUSTED} with one line naming the image,
   *     the policy scope and why; SYSTEM when the policy or a key file cannot be used
   */
  public PolicyAcceptance check(ImageReference image, Digest manifestDigest, boolean tlsVerify,
      RegistryCredentials credentials) throws BootjException {
    if (recorded != null) {
      if (!recordedDigests.contains(manifestDigest)) {
        throw new BootjException(BootjException.Kind.UNTRUSTED, image + " resolves to " + manifestDigest
            + ", not to " + recordedDigests.iterator().next() + ", which the signature policy accepted; run the"
            + " command again");
      }
      return recorded;
    }
    ScopedRequirements requirements = given != null ? given : policy().requirementsFor(image);
    try {
      return new PolicyEvaluator().evaluate(image, requirements, manifestDigest, (signed, digest) -> {
        RegistriesD configuration = RegistriesD.load(registriesD);
        // Checking against one cosign key looks where cosign puts signatures, configured or not.
        return new RegistriesDSignatureSource(given != null ? configuration.withSigstoreAttachments() : configuration,
            tlsVerify, credentials).signaturesOf(signed, digest);
      });
    } catch (BootjException e) {
      throw namingTheMachine(e);
    }
  }

  /**
   * Whether the policy accepts {@code image} without any signature: its scope holds an {@code
   * insecureAcceptAnything} requirement and nothing else ({@code install --enforce-container-sigpolicy}).
   */
  public boolean acceptsUnsigned(ImageReference image) throws BootjException {
    if (recorded != null) {
      return !recorded.anySignatureVerified();
    }
    ScopedRequirements requirements = given != null ? given : policy().requirementsFor(image);
    return requirements.requirements().stream().allMatch(r -> r instanceof Requirement.InsecureAcceptAnything);
  }

  /** The scope that applies to {@code image}, for messages. */
  public String scopeFor(ImageReference image) throws BootjException {
    if (recorded != null) {
      return recorded.scope();
    }
    return given != null ? given.scope() : policy().requirementsFor(image).scope();
  }

  private Policy policy() throws BootjException {
    if (policy == null) {
      if (machineRoot == null) {
        policy = PolicyParser.parse(policyFile);
      } else if (!Files.isRegularFile(policyFile)) {
        throw new BootjException(BootjException.Kind.SYSTEM, machine + " has no signature policy at " + DEFAULT_POLICY
            + ", and its updates follow its own policy; add one to its image (see the README's \"Trust\")"
            + " or give --signature-policy FILE");
      } else {
        try {
          policy = keysInside(PolicyParser.parse(policyFile), machineRoot);
        } catch (BootjException e) {
          throw namingTheMachine(e);
        }
      }
    }
    return policy;
  }

  /**
   * {@code e} with the machine named where its message names a path under the machine's root (a
   * key file, the registries.d): the mount point means nothing to the user.
   */
  private BootjException namingTheMachine(BootjException e) {
    if (machineRoot == null || !e.getMessage().contains(machineRoot.toString())) {
      return e;
    }
    return new BootjException(e.kind(), e.getMessage().replace(machineRoot.toString(), machine + ":"), e);
  }

  /** {@code parsed} with every key file path followed inside {@code root}. */
  private static Policy keysInside(Policy parsed, Path root) throws BootjException {
    Map<String, Map<String, List<Requirement>>> transports = new LinkedHashMap<>();
    for (var transport : parsed.transports().entrySet()) {
      Map<String, List<Requirement>> scopes = new LinkedHashMap<>();
      for (var scope : transport.getValue().entrySet()) {
        scopes.put(scope.getKey(), keysInside(scope.getValue(), root));
      }
      transports.put(transport.getKey(), scopes);
    }
    return new Policy(keysInside(parsed.defaultRequirements(), root), transports);
  }

  private static List<Requirement> keysInside(List<Requirement> requirements, Path root)
      throws BootjException {
    List<Requirement> moved = new ArrayList<>();
    for (Requirement requirement : requirements) {
      if (requirement instanceof Requirement.SignedBy s) {
        moved.add(new Requirement.SignedBy(keysInside(s.keys(), root), s.signedIdentity()));
      } else if (requirement instanceof Requirement.SigstoreSigned s) {
        moved.add(new Requirement.SigstoreSigned(keysInside(s.keys(), root), s.signedIdentity()));
      } else {
        moved.add(requirement);
      }
    }
    return moved;
  }

  private static KeySource keysInside(KeySource keys, Path root) throws BootjException {
    if (keys instanceof KeySource.Files files) {
      List<Path> paths = new ArrayList<>();
      for (Path path : files.paths()) {
        paths.add(inside(root, path));
      }
      return new KeySource.Files(files.field(), paths);
    }
    return keys;
  }

  /**
   * Where {@code absolute}, a path of the machine at {@code root}, is on this host: every
   * component followed chroot-style, the last one included, whether or not it exists. A missing
   * path is named by its resolved form too: the plain {@code root + path} would let the kernel
   * follow a symlink or ".." in it out of the root when the file is opened, to this host's files.
   */
  private static Path inside(Path root, Path absolute) throws BootjException {
    try {
      return new RootResolver(root).resolve(List.of(absolute.toString().split("/"))).absolute();
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot follow " + absolute + " inside " + root + ": "
          + e.getMessage(), e);
    }
  }

  /** The policy for messages: its file (and the machine it belongs to), or the requirement given directly. */
  @Override
  public String toString() {
    if (given != null) {
      return given.scope();
    }
    return machine != null ? machine + ":" + DEFAULT_POLICY : policyFile.toString();
  }
}
