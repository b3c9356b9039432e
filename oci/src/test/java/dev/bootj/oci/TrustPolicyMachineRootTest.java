package dev.bootj.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.oci.trust.SatisfiedRequirement;
import dev.bootj.oci.trust.sigstore.SigstoreFixtures;
import dev.bootj.oci.trust.simplesigning.SimpleSigningFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An installed machine's own policy ({@link TrustPolicy#forMachineRoot}): its policy.json, the key
 * files it names and its registries.d are read inside the machine's root, never from this host,
 * unless a policy is given. The signatures and keys are gpg's (the committed simple-signing
 * fixtures), read from a file:// lookaside, so nothing here touches the network.
 */
class TrustPolicyMachineRootTest {

  private static final ImageReference IMAGE = ImageReference.parse("registry.example/os:1");
  private static final Digest DIGEST = Digest.parse(SimpleSigningFixtures.property("digest"));
  private static final String MACHINE = "disk test.img";

  @TempDir Path dir;
  /** The machine's root tree, as a mounted slot would show it. */
  Path root;
  /** A directory of this host outside the root, where escaping paths would land. */
  Path host;

  @BeforeEach
  void machineWithItsOwnRegistriesD() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    host = Files.createDirectories(dir.resolve("host"));
    // The machine's registries.d names a lookaside holding gpg's signature of the image.
    Path lookaside = dir.resolve("lookaside");
    Path signatures = Files.createDirectories(lookaside.resolve("os@sha256=" + DIGEST.hex()));
    Files.write(signatures.resolve("signature-1"), SimpleSigningFixtures.bytes("rsa.sig"));
    write("etc/containers/registries.d/lookaside.yaml", "default-docker:\n  lookaside: file://" + lookaside + "\n");
    Files.createDirectories(root.resolve("etc/pki/containers"));
  }

  private void write(String inRoot, String content) throws Exception {
    Path file = root.resolve(inRoot);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void machinePolicy(String requirement) throws Exception {
    write("etc/containers/policy.json", "{\"default\": [" + requirement + "]}");
  }

  private static String signedBy(String keyPath) {
    return "{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"" + keyPath + "\"}";
  }

  private static PolicyAcceptance check(TrustPolicy trust) throws BootjException {
    return trust.check(IMAGE, DIGEST, true, RegistryCredentials.fromEnvironment(null, null, Map.of()));
  }

  private TrustPolicy machines() throws BootjException {
    return TrustPolicy.of(null, null).forMachineRoot(root, MACHINE);
  }

  @Test
  void theKeyAndTheRegistriesDAreTheMachinesNotThoseAtTheSamePathsOnThisHost() throws Exception {
    // The same absolute path names the trusted key inside the machine and another key on this host.
    Path keyPath = host.resolve("trusted.gpg");
    Files.write(keyPath, SimpleSigningFixtures.bytes("untrusted.pub.gpg"));
    Path inside = root.resolve(keyPath.toString().substring(1));
    Files.createDirectories(inside.getParent());
    Files.write(inside, SimpleSigningFixtures.bytes("rsa.pub.gpg"));
    machinePolicy(signedBy(keyPath.toString()));

    TrustPolicy trust = machines();

    assertThat(trust.policyFile()).isEqualTo(root.resolve("etc/containers/policy.json"));
    assertThat(trust.registriesD()).isEqualTo(root.resolve("etc/containers/registries.d"));
    assertThat(check(trust)).isEqualTo(new PolicyAcceptance("default",
        List.of(new SatisfiedRequirement("signedBy", SimpleSigningFixtures.property("rsa"), IMAGE.toString()))));
  }

  @Test
  void aSigstoreKeyPathIsReadInsideTheMachine() throws Exception {
    // On this host the path holds no key at all: reading it would fail as an unusable key.
    Path keyPath = host.resolve("cosign.pub");
    Files.writeString(keyPath, "not a key\n");
    Path inside = root.resolve(keyPath.toString().substring(1));
    Files.createDirectories(inside.getParent());
    Files.write(inside, SigstoreFixtures.bytes("ecdsa.pub.pem"));
    machinePolicy("{\"type\": \"sigstoreSigned\", \"keyPath\": \"" + keyPath + "\"}");

    BootjException refused = catchThrowableOfType(() -> check(machines()), BootjException.class);

    // The key was read and parsed; the refusal is about signatures, found through the machine's
    // registries.d (its lookaside holds one gpg signature, which sigstoreSigned does not read).
    assertThat(refused.kind()).as(refused.getMessage()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(refused).hasMessageContaining("no signature: sigstoreSigned needs a cosign signature")
        .hasMessageContaining("the image has 1 simple-signing signature");
  }

  /**
   * A key path that leaves the machine's root, through "..", an absolute symlink or a relative
   * one, stays inside it as the machine itself would see it (chroot-style): the trusted key this
   * host holds where the path would land outside is never read.
   */
  @ParameterizedTest
  @ValueSource(strings = {"dot-dot", "absolute-symlink", "relative-symlink"})
  void aKeyPathEscapingTheRootIsNotReadFromThisHost(String escape) throws Exception {
    Path hostKey = Files.write(host.resolve("trusted.gpg"), SimpleSigningFixtures.bytes("rsa.pub.gpg"));
    String keyPath = switch (escape) {
      case "dot-dot" -> "/../host/trusted.gpg";
      case "absolute-symlink" -> {
        Files.createSymbolicLink(root.resolve("etc/pki/containers/key.gpg"), hostKey);
        yield "/etc/pki/containers/key.gpg";
      }
      default -> {
        Files.createSymbolicLink(root.resolve("etc/pki/containers/key.gpg"), Path.of("../../../../host/trusted.gpg"));
        yield "/etc/pki/containers/key.gpg";
      }
    };
    machinePolicy(signedBy(keyPath));

    BootjException refused = catchThrowableOfType(() -> check(machines()), BootjException.class);

    assertThat(refused).as("accepted with this host's key").isNotNull();
    assertThat(refused.kind()).as(refused.getMessage()).isEqualTo(BootjException.Kind.SYSTEM);
    assertThat(refused).hasMessageStartingWith("the key file " + MACHINE + ":/").hasMessageContaining("does not exist");
  }

  @Test
  void aGivenSignaturePolicyIsUsedAsItIsWithItsKeysOnThisHost() throws Exception {
    machinePolicy("{\"type\": \"reject\"}");
    Path keyPath = Files.write(host.resolve("trusted.gpg"), SimpleSigningFixtures.bytes("rsa.pub.gpg"));
    Path inside = root.resolve(keyPath.toString().substring(1));
    Files.createDirectories(inside.getParent());
    Files.write(inside, SimpleSigningFixtures.bytes("untrusted.pub.gpg"));
    Path given = Files.writeString(dir.resolve("given.json"), "{\"default\": [" + signedBy(keyPath.toString()) + "]}");

    TrustPolicy trust = TrustPolicy.of(given, null).forMachineRoot(root, MACHINE);

    assertThat(trust.policyFile()).isEqualTo(given);
    // Only the registries.d was left to its default: that one is still the machine's.
    assertThat(trust.registriesD()).isEqualTo(root.resolve("etc/containers/registries.d"));
    assertThat(check(trust).requirements()).containsExactly(
        new SatisfiedRequirement("signedBy", SimpleSigningFixtures.property("rsa"), IMAGE.toString()));
  }
}
