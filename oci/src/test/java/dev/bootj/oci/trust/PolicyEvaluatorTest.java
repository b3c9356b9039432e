package dev.bootj.oci.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.trust.sigstore.SigstoreFixtures;
import dev.bootj.oci.trust.simplesigning.SimpleSigningFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies parsed from policy.json text, evaluated against signatures made by gpg, skopeo, openssl
 * and python3-cryptography (the committed fixtures of the simplesigning and sigstore packages).
 * Only the signature lookup is a test double.
 */
class PolicyEvaluatorTest {

  private static final Digest GPG_DIGEST = Digest.parse(SimpleSigningFixtures.property("digest"));
  private static final Digest COSIGN_DIGEST = Digest.parse(SigstoreFixtures.property("digest"));
  private static final RegistryReference OS_1 = (RegistryReference) ImageReference.parse("registry.example/os:1");
  private static final RegistryReference OS = (RegistryReference) ImageReference.parse("registry.example/os:latest");

  @TempDir Path dir;
  private FakeSignatureSource source;

  @BeforeEach
  void keys() throws IOException {
    source = new FakeSignatureSource();
    for (String key : List.of("rsa.pub.gpg", "ed25519.pub.asc", "rsa-and-ed25519.pub.gpg")) {
      Files.write(dir.resolve(key), SimpleSigningFixtures.bytes(key));
    }
    for (String key : List.of("ecdsa.pub.pem", "rsa.pub.pem", "ed25519.pub.pem")) {
      Files.write(dir.resolve("cosign-" + key), SigstoreFixtures.bytes(key));
    }
  }

  // ---- requirements without signatures

  @Test
  void insecureAcceptAnythingAcceptsWithoutAskingForSignatures() throws Exception {
    PolicyAcceptance accepted = evaluate("[{\"type\":\"insecureAcceptAnything\"}]", OS_1, GPG_DIGEST);

    assertThat(accepted).isEqualTo(new PolicyAcceptance("docker: registry.example",
        List.of(new SatisfiedRequirement("insecureAcceptAnything", null, null))));
    assertThat(accepted.anySignatureVerified()).isFalse();
    assertThat(source.calls).isZero();
  }

  @Test
  void rejectRefusesNamingTheImageAndScope() {
    assertThatThrownBy(() -> evaluate("[{\"type\":\"reject\"}]", OS_1, GPG_DIGEST))
        .isInstanceOfSatisfying(BootjException.class, e -> assertThat(e.kind()).isEqualTo(BootjException.Kind.UNTRUSTED))
        .hasMessage("registry.example/os:1 is refused: the signature policy rejects every image in scope"
            + " docker: registry.example; add a scope that accepts it if it should be trusted");
    assertThat(source.calls).isZero();
  }

  @Test
  void everyRequirementMustHold() {
    assertThatThrownBy(() -> evaluate("[{\"type\":\"insecureAcceptAnything\"},{\"type\":\"reject\"}]", OS_1, GPG_DIGEST))
        .hasMessageContaining("rejects every image");
  }

  // ---- signedBy with gpg and skopeo signatures

  @Test
  void signedByAcceptsAGpgSignatureByATrustedKey() throws Exception {
    source.simple("rsa.sig");

    PolicyAcceptance accepted = evaluate(signedBy("keyPath", "\"" + dir.resolve("rsa.pub.gpg") + "\""), OS_1, GPG_DIGEST);

    assertThat(accepted.requirements()).containsExactly(
        new SatisfiedRequirement("signedBy", SimpleSigningFixtures.property("rsa"), "registry.example/os:1"));
    assertThat(accepted.summary()).isEqualTo("docker: registry.example: signedBy: key "
        + SimpleSigningFixtures.property("rsa") + ", identity registry.example/os:1");
  }

  @Test
  void signedByReadsKeyPathsAndKeyData() throws Exception {
    source.simple("ed25519.sig");
    String keyPaths = signedBy("keyPaths", "[\"" + dir.resolve("rsa.pub.gpg") + "\",\"" + dir.resolve("ed25519.pub.asc") + "\"]");
    String keyData = signedBy("keyData", "\"" + Base64.getEncoder().encodeToString(SimpleSigningFixtures.bytes("ed25519.pub.asc")) + "\"");

    assertThat(evaluate(keyPaths, OS_1, GPG_DIGEST).requirements().get(0).keyFingerprint())
        .isEqualTo(SimpleSigningFixtures.property("ed25519"));
    assertThat(evaluate(keyData, OS_1, GPG_DIGEST).requirements().get(0).keyFingerprint())
        .isEqualTo(SimpleSigningFixtures.property("ed25519"));
  }

  @Test
  void signedByAcceptsWhatSkopeoSignedForAnImagePinnedByDigest() throws Exception {
    source.simple("skopeo-rsa.sig");
    RegistryReference pinned = (RegistryReference) ImageReference.parse("registry.example/os@" + GPG_DIGEST);

    assertThat(evaluate(signedBy("keyPath", "\"" + dir.resolve("rsa.pub.gpg") + "\""), pinned, GPG_DIGEST)
        .requirements().get(0).signedIdentity()).isEqualTo("registry.example/os:1");
  }

  @Test
  void noSignatureIsRefused() {
    source.cosign("payload.json", "ecdsa.sig.b64");

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST))
        .isInstanceOfSatisfying(BootjException.class, e -> assertThat(e.kind()).isEqualTo(BootjException.Kind.UNTRUSTED))
        .hasMessageStartingWith("registry.example/os:1 is refused by signature policy scope docker: registry.example (signedBy): no signature")
        .hasMessageContaining("the image has 1 cosign signature, which signedBy does not read");
  }

  @Test
  void aSignatureByAnUntrustedKeyIsRefused() {
    source.simple("untrusted.sig");

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST))
        .hasMessageContaining("(signedBy): signed by an untrusted key: key " + SimpleSigningFixtures.property("untrusted"))
        .hasMessageEndingWith("; trusted: keyPath " + dir.resolve("rsa.pub.gpg"));
  }

  @Test
  void aTamperedPayloadIsRefused() {
    source.simple("tampered.sig");

    assertThatThrownBy(() -> evaluate(signedBy("keyPath", "\"" + dir.resolve("ed25519.pub.asc") + "\""), OS_1, GPG_DIGEST))
        .hasMessageContaining("bad signature: the signature by key " + SimpleSigningFixtures.property("ed25519") + " does not match its payload");
  }

  @Test
  void aSignatureForAnotherDigestIsRefused() {
    source.simple("rsa-other-digest.sig");

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST))
        .hasMessageContaining("the signature is for digest " + SimpleSigningFixtures.property("otherDigest") + ", not " + GPG_DIGEST);
  }

  @Test
  void aSignatureForAnotherIdentityIsRefused() {
    source.simple("rsa-other-identity.sig");

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST))
        .hasMessageContaining("signed identity \"registry.example/other:1\" does not match registry.example/os:1"
            + " under signedIdentity matchRepoDigestOrExact");
  }

  @Test
  void failingSignaturesAreSkippedWhenAnotherPasses() throws Exception {
    source.simple("untrusted.sig").simple("rsa-other-digest.sig").simple("tampered.sig").simple("rsa.sig");

    assertThat(evaluate(rsaSignedBy(), OS_1, GPG_DIGEST).requirements().get(0).keyFingerprint())
        .isEqualTo(SimpleSigningFixtures.property("rsa"));
  }

  @Test
  void whenNonePassesTheReasonOfTheFurthestIsGiven() {
    source.simple("untrusted.sig").simple("rsa-other-identity.sig").simple("rsa-other-digest.sig").simple("detached.sig");

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST))
        .hasMessageEndingWith("under signedIdentity matchRepoDigestOrExact (the closest of 4 signatures)");
  }

  @Test
  void atMostSixtyFourSignaturesAreExamined() {
    for (int i = 0; i < PolicyEvaluator.MAX_SIGNATURES; i++) {
      source.simple("untrusted.sig");
    }
    source.simple("rsa.sig");

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST))
        .hasMessageContaining("signed by an untrusted key")
        .hasMessageEndingWith("(the closest of the first 64 of 65 signatures)");
  }

  // ---- sigstoreSigned with openssl and python3-cryptography signatures

  @Test
  void sigstoreSignedAcceptsACosignSignatureUnderMatchRepository() throws Exception {
    source.cosign("payload.json", "ecdsa.sig.b64");

    PolicyAcceptance accepted = evaluate(sigstoreSigned("cosign-ecdsa.pub.pem", "{\"type\":\"matchRepository\"}"), OS_1, COSIGN_DIGEST);

    assertThat(accepted.requirements()).containsExactly(
        new SatisfiedRequirement("sigstoreSigned", SigstoreFixtures.property("ecdsa"), "registry.example/os"));
  }

  @Test
  void sigstoreSignedAcceptsRsaAndEd25519KeysFromKeyPaths() throws Exception {
    source.cosign("payload.json", "untrusted.sig.b64").cosign("payload.json", "ed25519.sig.b64");
    String policy = "[{\"type\":\"sigstoreSigned\",\"keyPaths\":[\"" + dir.resolve("cosign-rsa.pub.pem") + "\",\""
        + dir.resolve("cosign-ed25519.pub.pem") + "\"],\"signedIdentity\":{\"type\":\"matchRepository\"}}]";

    assertThat(evaluate(policy, OS, COSIGN_DIGEST).requirements().get(0).keyFingerprint())
        .isEqualTo(SigstoreFixtures.property("ed25519"));
  }

  @Test
  void cosignsRepositoryOnlyIdentityNeedsMatchRepository() {
    source.cosign("payload.json", "ecdsa.sig.b64");

    assertThatThrownBy(() -> evaluate(sigstoreSigned("cosign-ecdsa.pub.pem", null), OS_1, COSIGN_DIGEST))
        .hasMessageContaining("(sigstoreSigned): signed identity \"registry.example/os\" does not match")
        .hasMessageContaining("write \"signedIdentity\": {\"type\": \"matchRepository\"}");
  }

  @Test
  void cosignRefusalsNameTheirReason() {
    String policy = sigstoreSigned("cosign-ecdsa.pub.pem", "{\"type\":\"matchRepository\"}");

    source.cosign("payload.json", "untrusted.sig.b64");
    assertThatThrownBy(() -> evaluate(policy, OS_1, COSIGN_DIGEST)).hasMessageContaining("signed by an untrusted key");
    source = new FakeSignatureSource().cosign("payload-tampered.json", "ecdsa.sig.b64");
    assertThatThrownBy(() -> evaluate(policy, OS_1, COSIGN_DIGEST)).hasMessageContaining("signed by an untrusted key");
    source = new FakeSignatureSource().cosign("payload-other-digest.json", "ecdsa-other-digest.sig.b64");
    assertThatThrownBy(() -> evaluate(policy, OS_1, COSIGN_DIGEST))
        .hasMessageContaining("the signature is for digest " + SigstoreFixtures.property("otherDigest"));
    source = new FakeSignatureSource().cosign("payload-other-identity.json", "ecdsa-other-identity.sig.b64");
    assertThatThrownBy(() -> evaluate(policy, OS_1, COSIGN_DIGEST))
        .hasMessageContaining("signed identity \"registry.example/other\" does not match");
    source = new FakeSignatureSource();
    assertThatThrownBy(() -> evaluate(policy, OS_1, COSIGN_DIGEST))
        .hasMessageContaining("no signature: sigstoreSigned needs a cosign signature (the sha256-" + COSIGN_DIGEST.hex() + ".sig tag");
  }

  // ---- several requirements, layouts, key problems

  @Test
  void signaturesAreFetchedOnceForSeveralRequirements() throws Exception {
    // The gpg fixtures and the cosign fixtures sign different digests: signedBy passes, sigstoreSigned cannot.
    source.simple("rsa.sig").cosign("payload.json", "ecdsa.sig.b64");
    String policy = "[" + rsaSignedBy().substring(1, rsaSignedBy().length() - 1) + ","
        + sigstoreSigned("cosign-ecdsa.pub.pem", "{\"type\":\"matchRepository\"}").substring(1);

    assertThatThrownBy(() -> evaluate(policy, OS_1, GPG_DIGEST)).hasMessageContaining("(sigstoreSigned): the signature is for digest");
    assertThat(source.calls).isEqualTo(1);
  }

  @Test
  void layoutsHaveNoSignatures() throws Exception {
    ImageReference layout = ImageReference.parse("oci:" + dir + ":1");
    ScopedRequirements requirements = PolicyParser.parse("{\"default\":" + rsaSignedBy() + "}", "policy.json")
        .requirementsFor(layout);

    assertThatThrownBy(() -> new PolicyEvaluator().evaluate(layout, requirements, GPG_DIGEST, source))
        .isInstanceOfSatisfying(BootjException.class, e -> assertThat(e.kind()).isEqualTo(BootjException.Kind.UNTRUSTED))
        .hasMessage("oci:" + dir + ":1 is refused by signature policy scope default (signedBy): oci layouts and archives carry"
            + " no signatures, so signedBy can never hold for them; use a scope that accepts the layout, or pull the image"
            + " from a registry");
    assertThat(source.calls).isZero();
    ScopedRequirements accepting = PolicyParser.parse("{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}", "policy.json")
        .requirementsFor(layout);
    assertThat(new PolicyEvaluator().evaluate(layout, accepting, GPG_DIGEST, source).scope()).isEqualTo("default");
  }

  @Test
  void aMissingKeyFileIsALocalErrorFoundBeforeAnySignatureIsFetched() {
    source.simple("rsa.sig");

    assertThatThrownBy(() -> evaluate(signedBy("keyPath", "\"" + dir.resolve("missing.gpg") + "\""), OS_1, GPG_DIGEST))
        .isInstanceOfSatisfying(BootjException.class, e -> assertThat(e.kind()).isEqualTo(BootjException.Kind.SYSTEM))
        .hasMessageContaining("the key file " + dir.resolve("missing.gpg") + " (keyPath of the signedBy requirement of"
            + " signature policy scope docker: registry.example) does not exist");
    assertThat(source.calls).isZero();
  }

  @Test
  void anUnusableKeyIsALocalError() throws Exception {
    Files.writeString(dir.resolve("not-a-key.pem"), "hello");

    assertThatThrownBy(() -> evaluate(sigstoreSigned("not-a-key.pem", null), OS_1, COSIGN_DIGEST))
        .isInstanceOfSatisfying(BootjException.class, e -> assertThat(e.kind()).isEqualTo(BootjException.Kind.SYSTEM))
        .hasMessageContaining("is not usable: it holds no PEM block");
    assertThatThrownBy(() -> evaluate(signedBy("keyPath", "\"" + dir.resolve("not-a-key.pem") + "\""), OS_1, GPG_DIGEST))
        .isInstanceOfSatisfying(BootjException.class, e -> assertThat(e.kind()).isEqualTo(BootjException.Kind.SYSTEM))
        .hasMessageContaining("is not usable: it is not an exported OpenPGP public keyring");
  }

  @Test
  void theSignatureSourcesFailurePassesThrough() {
    BootjException unreachable = new BootjException(BootjException.Kind.IMAGE_ACCESS, "lookaside unreachable");
    source.failure = unreachable;

    assertThatThrownBy(() -> evaluate(rsaSignedBy(), OS_1, GPG_DIGEST)).isSameAs(unreachable);
  }

  // ---- helpers

  private String rsaSignedBy() {
    return signedBy("keyPath", "\"" + dir.resolve("rsa.pub.gpg") + "\"");
  }

  private static String signedBy(String field, String value) {
    return "[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"" + field + "\":" + value + "}]";
  }

  private String sigstoreSigned(String keyFile, String signedIdentity) {
    return "[{\"type\":\"sigstoreSigned\",\"keyPath\":\"" + dir.resolve(keyFile) + "\""
        + (signedIdentity == null ? "" : ",\"signedIdentity\":" + signedIdentity) + "}]";
  }

  /** Evaluates under a policy whose scope {@code registry.example} holds {@code requirements}. */
  private PolicyAcceptance evaluate(String requirements, RegistryReference image, Digest digest) throws BootjException {
    Policy policy = PolicyParser.parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"registry.example\":"
        + requirements + "}}}", "policy.json");
    return new PolicyEvaluator().evaluate(image, policy.requirementsFor(image), digest, source);
  }

  /** The signatures a registry would serve, from fixture files; counts how often it is asked. */
  private static final class FakeSignatureSource implements SignatureSource {
    final List<byte[]> simple = new ArrayList<>();
    final List<CosignSignature> cosign = new ArrayList<>();
    int calls;
    BootjException failure;

    FakeSignatureSource simple(String file) {
      simple.add(SimpleSigningFixtures.bytes(file));
      return this;
    }

    FakeSignatureSource cosign(String payload, String signature) {
      cosign.add(new CosignSignature(SigstoreFixtures.bytes(payload), SigstoreFixtures.text(signature)));
      return this;
    }

    @Override
    public ImageSignatures signaturesOf(RegistryReference image, Digest manifestDigest) throws BootjException {
      calls++;
      if (failure != null) {
        throw failure;
      }
      return new ImageSignatures(simple, cosign);
    }
  }
}
