package dev.bootj.it.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.trust.ImageSignatures;
import dev.bootj.oci.trust.PolicyEvaluator;
import dev.bootj.oci.trust.PolicyParser;
import dev.bootj.oci.trust.ScopedRequirements;
import dev.bootj.oci.trust.lookup.RegistriesD;
import dev.bootj.oci.trust.lookup.RegistriesDSignatureSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The trust chain from signer to store, through the commands a user types, with signatures made
 * by independent signers as well as by bootj: simple signing by Debian's gpg and {@code skopeo
 * copy --sign-by} (with skopeo, under the very same policy and registries.d files, as the oracle
 * for accept and refuse), cosign signatures by bootj (checked with openssl) and by Python's
 * cryptography. Every refusal is exit status 4 and one line naming the image, the policy scope
 * and why, and leaves nothing of the image in the store (and no disk).
 *
 * <p>Each test pushes its own repositories to one registry, so the tests run in any order.
 */
@Testcontainers
class TrustChainIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COSIGN_PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  private static final String COSIGN_SIGNATURE = "dev.cosignproject.cosign/signature";

  @Container static final TestRegistry REGISTRY = new TestRegistry();

  @TempDir static Path shared;
  private static GpgKeyring gpg;
  private static GpgKeyring.Key alice;
  private static GpgKeyring.Key mallory;
  private static Path lookaside;
  private static LookasideServer lookasideServer;
  /** Where skopeo --sign-by writes: the lookaside directory (skopeo 1.9 calls it sigstore-staging). */
  private static Path signingRegistriesD;
  /** Where readers find simple-signing signatures: the lookaside over HTTP. */
  private static Path gpgRegistriesD;
  /** Where readers find cosign signatures: the sha256-<hex>.sig tags. */
  private static Path cosignRegistriesD;
  /** bootj's own cosign key pair, from {@code bootj image generate-key}. */
  private static Path bootjKey;
  private static Path bootjPublicKey;
  private static Path passphrase;

  @TempDir Path temp;

  @BeforeAll
  static void signersAndSignatureLocations() throws Exception {
    gpg = GpgKeyring.create(shared);
    alice = gpg.generate("Alice <alice@bootj.test>", "alice.gpg");
    mallory = gpg.generate("Mallory <mallory@bootj.test>", "mallory.gpg");
    lookaside = Files.createDirectory(shared.resolve("lookaside"));
    lookasideServer = LookasideServer.serve(lookaside, shared.resolve("http.log"));
    signingRegistriesD = registriesD(shared, "signing.d", "default-docker:\n  sigstore-staging: file://" + lookaside + "\n");
    gpgRegistriesD = registriesD(shared, "gpg.d", "default-docker:\n  lookaside: " + lookasideServer.url() + "\n");
    cosignRegistriesD = registriesD(shared, "cosign.d", "default-docker:\n  use-sigstore-attachments: true\n");

    passphrase = Files.writeString(shared.resolve("passphrase"), "correct horse battery staple\n");
    Path prefix = shared.resolve("bootj-signer");
    Bootj.Result generated = new Bootj(shared.resolve("keygen-store")).run("image", "generate-key", "--output-prefix",
        prefix.toString(), "--passphrase-file", passphrase.toString());
    assertThat(generated.exitCode()).as(generated.toString()).isZero();
    bootjKey = Path.of(prefix + ".key");
    bootjPublicKey = Path.of(prefix + ".pub");
  }

  @AfterAll
  static void stopLookaside() {
    if (lookasideServer != null) {
      lookasideServer.close();
    }
  }

  // --- simple signing: gpg and skopeo sign, bootj and skopeo verify -----------------------------

  @Test
  void gpgSignaturesSkopeoWroteAreAcceptedAsSkopeoAcceptsThem() throws Exception {
    String image = push("trust/gpg-signed:1");
    gpg.signWithSkopeo(alice, signingRegistriesD, image);
    Path byPath = policy(signedBy("keyPath", quoted(alice.publicKey())));
    Path byData = policy(signedBy("keyData", quoted(Base64.getEncoder().encodeToString(Files.readAllBytes(alice.publicKey())))));

    Path store = temp.resolve("store");
    Bootj.Result pulled = new Bootj(store).run("image", "pull", "--json", "--signature-policy", byPath.toString(),
        "--registries.d", gpgRegistriesD.toString(), image);
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
    assertThat(CheckedJson.parse(pulled.out()).get("digest").asText()).isEqualTo(digestOf(image));
    // What an accepted pull stores, where a refused one must store nothing.
    for (String blob : blobsOf(image)) {
      assertThat(store.resolve("blobs/sha256/" + blob.substring("sha256:".length()))).isRegularFile();
    }
    assertThat(store.resolve("images")).isNotEmptyDirectory();
    skopeoAccepts(byPath, gpgRegistriesD, image);

    // keyData, the key inline in the policy: the same key, the same answer.
    Bootj.Result verified = new Bootj(temp.resolve("store2")).run("image", "verify", "--json", "--signature-policy",
        byData.toString(), "--registries.d", gpgRegistriesD.toString(), image);
    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    JsonNode record = CheckedJson.parse("verify-v1", verified.out());
    assertThat(record.get("signedDigest").asText()).isEqualTo(digestOf(image));
    assertThat(record.get("signature").get("scope").asText()).isEqualTo("docker: " + REGISTRY.hostAndPort());
    JsonNode requirement = record.get("signature").get("requirements").get(0);
    assertThat(requirement.get("type").asText()).isEqualTo("signedBy");
    assertThat(requirement.get("keyFingerprint").asText()).isEqualTo(alice.fingerprint());
    assertThat(requirement.get("signedIdentity").asText()).isEqualTo(image);
    skopeoAccepts(byData, gpgRegistriesD, image);
  }

  @Test
  void unsignedImagesAndOtherKeysSignaturesAreRefusedAsSkopeoRefusesThem() throws Exception {
    String unsigned = push("trust/gpg-unsigned:1");
    String byMallory = push("trust/gpg-mallory:1");
    gpg.signWithSkopeo(mallory, signingRegistriesD, byMallory);
    Path policy = policy(signedBy("keyPath", quoted(alice.publicKey())));

    assertPullRefused(policy, gpgRegistriesD, unsigned, byRegistryScope("signedBy") + "no signature");
    skopeoRefuses(policy, gpgRegistriesD, unsigned);
    assertPullRefused(policy, gpgRegistriesD, byMallory, byRegistryScope("signedBy") + "signed by an untrusted key",
        alice.publicKey().toString());
    skopeoRefuses(policy, gpgRegistriesD, byMallory);
  }

  // --- cosign: bootj signs --------------------------------------------------------------------

  @Test
  void cosignSignaturesBootjMakesAreAcceptedAndOpensslVerifiesThem() throws Exception {
    assertThat(Files.readString(bootjKey)).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----");
    String fingerprint = opensslFingerprint(bootjPublicKey);
    String image = push("trust/cosign-bootj:1");
    String digest = digestOf(image);

    JsonNode signed = CheckedJson.parse("sign-v1", bootjSign(image).out());
    assertThat(signed.get("signedDigest").asText()).isEqualTo(digest);
    assertThat(signed.get("keyFingerprint").asText()).isEqualTo(fingerprint);
    String signatureTag = PythonCosignSigner.signatureTag(repository(image), digest);
    assertThat(signed.get("signatureTag").asText()).isEqualTo(signatureTag);
    // openssl, over the payload as the registry serves it: bootj signed this image's digest with this key.
    JsonNode payload = JSON.readTree(opensslVerifiedPayload(signatureTag, bootjPublicKey));
    assertThat(payload.get("critical").get("image").get("docker-manifest-digest").asText()).isEqualTo(digest);
    assertThat(payload.get("critical").get("identity").get("docker-reference").asText()).isEqualTo(repository(image));
    assertThat(payload.get("critical").get("type").asText()).isEqualTo("cosign container image signature");

    Path policy = policy(sigstoreSigned(bootjPublicKey));
    Bootj.Result pulled = new Bootj(temp.resolve("store")).run("image", "pull", "--signature-policy", policy.toString(),
        "--registries.d", cosignRegistriesD.toString(), image);
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();

    Bootj.Result verified = new Bootj(temp.resolve("store")).run("image", "verify", "--json", "--signature-policy",
        policy.toString(), "--registries.d", cosignRegistriesD.toString(), image);
    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    JsonNode record = CheckedJson.parse("verify-v1", verified.out());
    assertThat(record.get("reference").asText()).isEqualTo(image);
    assertThat(record.get("signedDigest").asText()).isEqualTo(digest);
    assertThat(record.get("policy").asText()).isEqualTo(policy.toString());
    JsonNode requirement = record.get("signature").get("requirements").get(0);
    assertThat(requirement.get("type").asText()).isEqualTo("sigstoreSigned");
    assertThat(requirement.get("keyFingerprint").asText()).isEqualTo(fingerprint);
    assertThat(requirement.get("signedIdentity").asText()).isEqualTo(repository(image));

    // --key alone, as cosign verify --key: no policy file, no registries.d.
    Bootj.Result byKey = new Bootj(temp.resolve("store")).run("image", "verify", "--key", bootjPublicKey.toString(), image);
    assertThat(byKey.exitCode()).as(byKey.toString()).isZero();
    assertThat(byKey.out()).contains(fingerprint);
  }

  // --- cosign: Python's cryptography signs -----------------------------------------------------

  @Test
  void cosignSignaturesPythonMadeAreAcceptedUnderTheirKeyAndRefusedUnderAnother() throws Exception {
    String image = push("trust/cosign-python:1");
    PythonCosignSigner python = PythonCosignSigner.generate(temp.resolve("python-signer"));
    python.signAndPush(repository(image), digestOf(image), temp.resolve("python-signature"));

    Path policy = policy(sigstoreSigned(python.publicKey()));
    Bootj.Result pulled = new Bootj(temp.resolve("store")).run("image", "pull", "--signature-policy", policy.toString(),
        "--registries.d", cosignRegistriesD.toString(), image);
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
    Bootj.Result verified = new Bootj(temp.resolve("store")).run("image", "verify", "--json", "--signature-policy",
        policy.toString(), "--registries.d", cosignRegistriesD.toString(), image);
    JsonNode requirement = CheckedJson.parse("verify-v1", verified.out()).get("signature").get("requirements").get(0);
    assertThat(requirement.get("keyFingerprint").asText()).isEqualTo(opensslFingerprint(python.publicKey()));

    assertPullRefused(policy(sigstoreSigned(bootjPublicKey)), cosignRegistriesD, image,
        byRegistryScope("sigstoreSigned") + "signed by an untrusted key", bootjPublicKey.toString());
  }

  // --- refusals, each with its reason --------------------------------------------------------

  @Test
  void anImageWithoutCosignSignatureIsRefused() throws Exception {
    String image = push("trust/cosign-unsigned:1");
    assertPullRefused(policy(sigstoreSigned(bootjPublicKey)), cosignRegistriesD, image,
        byRegistryScope("sigstoreSigned") + "no signature", "sha256-" + digestOf(image).substring(7) + ".sig");
  }

  @Test
  void aSignatureOfAnotherDigestIsRefused() throws Exception {
    // cosign: image a's .sig manifest copied to image b's tag, in the same repository.
    String a = push("trust/cosign-digests:a");
    String b = push("trust/cosign-digests:b");
    bootjSign(a);
    Skopeo.copy("docker://" + PythonCosignSigner.signatureTag(repository(a), digestOf(a)),
        "docker://" + PythonCosignSigner.signatureTag(repository(b), digestOf(b)));
    assertPullRefused(policy(sigstoreSigned(bootjPublicKey)), cosignRegistriesD, b, byRegistryScope("sigstoreSigned"),
        "the signature is for digest " + digestOf(a) + ", not " + digestOf(b));

    // Simple signing: skopeo's signature file of a put where b's signatures are looked for.
    String gpgA = push("trust/gpg-digests:a");
    String gpgB = push("trust/gpg-digests:b");
    gpg.signWithSkopeo(alice, signingRegistriesD, gpgA);
    copyLookasideSignature("trust/gpg-digests", digestOf(gpgA), "trust/gpg-digests", digestOf(gpgB));
    Path policy = policy(signedBy("keyPath", quoted(alice.publicKey())));
    assertPullRefused(policy, gpgRegistriesD, gpgB, byRegistryScope("signedBy"),
        "the signature is for digest " + digestOf(gpgA) + ", not " + digestOf(gpgB));
    skopeoRefuses(policy, gpgRegistriesD, gpgB);
  }

  @Test
  void cosignsRepositoryOnlyIdentityNeedsMatchRepositoryAndTheRefusalSaysSo() throws Exception {
    String image = push("trust/cosign-identity:1");
    bootjSign(image);
    Path defaultIdentity = policy("{\"type\": \"sigstoreSigned\", \"keyPath\": " + quoted(bootjPublicKey) + "}");
    assertPullRefused(defaultIdentity, cosignRegistriesD, image, byRegistryScope("sigstoreSigned"),
        "signed identity \"" + repository(image) + "\" does not match " + image + " under signedIdentity matchRepoDigestOrExact",
        "\"signedIdentity\": {\"type\": \"matchRepository\"}");
  }

  @Test
  void aSignatureMadeForAnotherRepositoryIsRefused() throws Exception {
    // cosign: the image and its .sig tag copied to another repository, digests unchanged.
    String origin = push("trust/cosign-origin:1");
    String copy = REGISTRY.reference("trust/cosign-copy:1");
    bootjSign(origin);
    Skopeo.copy("docker://" + origin, "docker://" + copy);
    String digest = digestOf(origin);
    assertThat(digestOf(copy)).isEqualTo(digest);
    Skopeo.copy("docker://" + PythonCosignSigner.signatureTag(repository(origin), digest),
        "docker://" + PythonCosignSigner.signatureTag(repository(copy), digest));
    Path policy = policy(sigstoreSigned(bootjPublicKey));
    assertThat(verify(policy, cosignRegistriesD, origin).exitCode()).isZero();
    assertPullRefused(policy, cosignRegistriesD, copy, byRegistryScope("sigstoreSigned"),
        "signed identity \"" + repository(origin) + "\" does not match " + copy + " under signedIdentity matchRepository");

    // Simple signing: skopeo's signature of the original, found in the copy's lookaside directory.
    String gpgOrigin = push("trust/gpg-origin:1");
    String gpgCopy = REGISTRY.reference("trust/gpg-copy:1");
    gpg.signWithSkopeo(alice, signingRegistriesD, gpgOrigin);
    Skopeo.copy("docker://" + gpgOrigin, "docker://" + gpgCopy);
    copyLookasideSignature("trust/gpg-origin", digestOf(gpgOrigin), "trust/gpg-copy", digestOf(gpgOrigin));
    Path gpgPolicy = policy(signedBy("keyPath", quoted(alice.publicKey())));
    assertPullRefused(gpgPolicy, gpgRegistriesD, gpgCopy, byRegistryScope("signedBy"),
        "signed identity \"" + gpgOrigin + "\" does not match " + gpgCopy + " under signedIdentity matchRepoDigestOrExact");
    skopeoRefuses(gpgPolicy, gpgRegistriesD, gpgCopy);
  }

  @Test
  void aRejectScopeRefusesItsImagesAndNamesTheScope() throws Exception {
    String rejected = push("trust/rejected/app:1");
    String accepted = push("trust/accepted:1");
    String scope = REGISTRY.hostAndPort() + "/trust/rejected";
    Path policy = writePolicy("{\"default\": [{\"type\": \"insecureAcceptAnything\"}], \"transports\": {\"docker\": {\""
        + scope + "\": [{\"type\": \"reject\"}]}}}");

    Bootj.Result refused = assertPullRefused(policy, gpgRegistriesD, rejected, "rejects every image in scope docker: " + scope);
    assertThat(refused.err()).contains(rejected);
    skopeoRefuses(policy, gpgRegistriesD, rejected);

    Bootj.Result pulled = new Bootj(temp.resolve("store")).run("image", "pull", "--signature-policy", policy.toString(),
        "--registries.d", gpgRegistriesD.toString(), accepted);
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
    skopeoAccepts(policy, gpgRegistriesD, accepted);
  }

  /**
   * Fail closed: a policy that cannot be read refuses every image, with the file (and the field)
   * named. That is {@code Kind.SYSTEM}, exit status 1 (something to fix on this machine), not 4.
   */
  @Test
  void aMissingOrMalformedPolicyRefusesEveryImageNamingTheFileAndField() throws Exception {
    String image = push("trust/any-policy:1");
    Path missing = temp.resolve("no-such-policy.json");
    assertFailsClosed(missing, image, missing + ": the signature policy file does not exist");

    String host = REGISTRY.hostAndPort();
    Map<String, String> malformed = new LinkedHashMap<>();
    malformed.put("{\"default\": [{\"type\": \"signedByX\"}]}", "default[0].type: unknown requirement type \"signedByX\"");
    malformed.put("{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\"}]}", "default[0]: no key is given");
    malformed.put("{\"default\": [{\"type\": \"insecureAcceptAnything\"}], \"transports\": {\"docker\": {\"" + host
        + "\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"/k.pub\", \"signedIdentity\": {\"type\": \"nope\"}}]}}}",
        "transports.docker[\"" + host + "\"][0].signedIdentity.type: unknown signedIdentity type \"nope\"");
    malformed.put("{\n  \"default\": [{\"type\": \"insecureAcceptAnything\"}]\n",
        "default: not valid JSON: Unexpected end-of-input");
    for (Map.Entry<String, String> policy : malformed.entrySet()) {
      Path file = writePolicy(policy.getKey());
      assertFailsClosed(file, image, file + ": " + policy.getValue());
    }
  }

  // --- install ---------------------------------------------------------------------------------

  @Test
  void installToDiskUnderARejectingPolicyCreatesNoDisk() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "install to-disk needs root");
    String image = push("trust/install-rejected:1");
    Path policy = writePolicy("{\"default\": [{\"type\": \"reject\"}]}");
    Path disk = temp.resolve("disk.img");
    Path store = temp.resolve("store");

    Bootj.Result result = new Bootj(store).run("install", "to-disk", "--image", image, "--size", "1G",
        "--signature-policy", policy.toString(), "--registries.d", gpgRegistriesD.toString(), disk.toString());

    assertRefusal(result, image, "rejects every image in scope default");
    assertThat(disk).doesNotExist();
    assertNothingStored(store);
  }

  @Test
  void enforceContainerSigpolicyRefusesAPolicyThatAcceptsAnything() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "install to-disk needs root");
    String image = push("trust/install-unenforced:1");
    Path policy = writePolicy("{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}");
    Path disk = temp.resolve("disk.img");
    Path store = temp.resolve("store");

    Bootj.Result result = new Bootj(store).run("install", "to-disk", "--enforce-container-sigpolicy", "--image", image,
        "--size", "1G", "--signature-policy", policy.toString(), disk.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
    assertThat(result.err().strip()).hasLineCount(1)
        .startsWith("bootj: error: --enforce-container-sigpolicy: the signature policy " + policy)
        .contains("accepts " + image + " without a signature", "insecureAcceptAnything", "nothing was written");
    assertThat(disk).doesNotExist();
    assertNothingStored(store);
  }

  // --- unpack ----------------------------------------------------------------------------------

  @Test
  void imageUnpackUnderARejectingPolicyCreatesNoDirectory() throws Exception {
    String image = push("trust/unpack-rejected:1");
    Path policy = writePolicy("{\"default\": [{\"type\": \"reject\"}]}");
    Path target = temp.resolve("rootfs");
    Path store = temp.resolve("store");

    Bootj.Result result = new Bootj(store).run("image", "unpack", "--signature-policy", policy.toString(),
        "--registries.d", gpgRegistriesD.toString(), image, target.toString());

    assertRefusal(result, image, "rejects every image in scope default");
    assertThat(target).doesNotExist();
    assertNothingStored(store);
  }

  // --- cost ----------------------------------------------------------------------------------

  /**
   * What verification costs, printed, not asserted: {@code image verify} in-process (the registry
   * round trips included), and the policy evaluation alone once the signatures are fetched.
   */
  @Test
  void measuresWhatVerificationCosts() throws Exception {
    String cosigned = push("trust/cost-cosign:1");
    bootjSign(cosigned);
    String gpgSigned = push("trust/cost-gpg:1");
    gpg.signWithSkopeo(alice, signingRegistriesD, gpgSigned);
    Path cosignPolicy = policy(sigstoreSigned(bootjPublicKey));
    Path gpgPolicy = policy(signedBy("keyPath", quoted(alice.publicKey())));

    long[] cosignCommand = timeVerify(cosignPolicy, cosignRegistriesD, cosigned);
    long[] gpgCommand = timeVerify(gpgPolicy, gpgRegistriesD, gpgSigned);
    long[] cosignEvaluation = timeEvaluation(cosignPolicy, cosignRegistriesD, cosigned);
    long[] gpgEvaluation = timeEvaluation(gpgPolicy, gpgRegistriesD, gpgSigned);
    System.out.printf("verification cost (median / min of %d after one warm-up):%n"
            + "  bootj image verify, cosign (registry round trips included): %.1f / %.1f ms%n"
            + "  bootj image verify, gpg (registry and lookaside round trips included): %.1f / %.1f ms%n"
            + "  policy evaluation alone, signatures fetched, cosign: %.2f / %.2f ms%n"
            + "  policy evaluation alone, signatures fetched, gpg: %.2f / %.2f ms%n",
        RUNS, ms(cosignCommand[0]), ms(cosignCommand[1]), ms(gpgCommand[0]), ms(gpgCommand[1]),
        ms(cosignEvaluation[0]), ms(cosignEvaluation[1]), ms(gpgEvaluation[0]), ms(gpgEvaluation[1]));
  }

  private static final int RUNS = 5;

  private long[] timeVerify(Path policy, Path registriesD, String image) throws IOException {
    Bootj bootj = new Bootj(temp.resolve("cost-store"));
    long[] nanos = new long[RUNS + 1];
    for (int i = 0; i <= RUNS; i++) {
      long start = System.nanoTime();
      Bootj.Result result = bootj.run("image", "verify", "--signature-policy", policy.toString(), "--registries.d",
          registriesD.toString(), image);
      nanos[i] = System.nanoTime() - start;
      assertThat(result.exitCode()).as(result.toString()).isZero();
    }
    // The first run warms up (class loading, JIT, the registry's caches).
    return medianAndMin(Arrays.copyOfRange(nanos, 1, nanos.length));
  }

  private long[] timeEvaluation(Path policyFile, Path registriesD, String image) throws Exception {
    RegistryReference reference = (RegistryReference) ImageReference.parse(image);
    Digest digest = Digest.parse(digestOf(image));
    ScopedRequirements requirements = PolicyParser.parse(policyFile).requirementsFor(reference);
    ImageSignatures signatures = new RegistriesDSignatureSource(RegistriesD.load(registriesD), false,
        RegistryCredentials.fromEnvironment(null, null, Map.of("HOME", temp.toString()))).signaturesOf(reference, digest);
    PolicyEvaluator evaluator = new PolicyEvaluator();
    evaluator.evaluate(reference, requirements, digest, (r, d) -> signatures);
    long[] nanos = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      evaluator.evaluate(reference, requirements, digest, (r, d) -> signatures);
      nanos[i] = System.nanoTime() - start;
    }
    return medianAndMin(nanos);
  }

  private static long[] medianAndMin(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new long[] {sorted[sorted.length / 2], sorted[0]};
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Pushes a one-layer image whose content is its own name (so every image has its own digest). */
  private String push(String repoAndTag) throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.dir("etc");
    tar.file("etc/motd", repoAndTag + "\n");
    Path layout = Files.createTempDirectory(temp, "layout");
    OciLayoutWriter.write(layout, "v1", OciLayoutWriter.TAR_GZIP, List.of(tar.build()));
    return Skopeo.push(layout, "v1", REGISTRY, repoAndTag);
  }

  private Bootj.Result bootjSign(String image) {
    Bootj.Result signed = new Bootj(temp.resolve("sign-store")).run("image", "sign", "--json", "--key", bootjKey.toString(),
        "--passphrase-file", passphrase.toString(), image);
    assertThat(signed.exitCode()).as(signed.toString()).isZero();
    return signed;
  }

  private Bootj.Result verify(Path policy, Path registriesD, String image) throws IOException {
    return new Bootj(Files.createTempDirectory(temp, "store")).run("image", "verify", "--signature-policy", policy.toString(),
        "--registries.d", registriesD.toString(), image);
  }

  /** {@code image pull} into a new store is refused for {@code reasons}, and stores nothing. */
  private Bootj.Result assertPullRefused(Path policy, Path registriesD, String image, String... reasons) throws IOException {
    Path store = Files.createTempDirectory(temp, "store");
    Bootj.Result result = new Bootj(store).run("image", "pull", "--signature-policy", policy.toString(), "--registries.d",
        registriesD.toString(), image);
    assertRefusal(result, image, reasons);
    assertNothingStored(store);
    return result;
  }

  /** Exit status 4, one line on stderr naming the image and the reason, no stack trace. */
  private static void assertRefusal(Bootj.Result result, String image, String... reasons) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
    assertThat(result.err().strip()).as(result.toString())
        .startsWith("bootj: error: " + image + " is refused")
        .hasLineCount(1)
        .contains(reasons)
        .doesNotContain("\tat ", "Exception");
  }

  private void assertFailsClosed(Path policy, String image, String message) throws IOException {
    Path store = Files.createTempDirectory(temp, "store");
    Bootj.Result result = new Bootj(store).run("image", "pull", "--signature-policy", policy.toString(), "--registries.d",
        gpgRegistriesD.toString(), image);
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err().strip()).as(result.toString())
        .startsWith("bootj: error: " + message)
        .hasLineCount(1)
        .doesNotContain("\tat ", "Source:");
    assertNothingStored(store);
    assertThatThrownBy(() -> skopeoCopy(policy, gpgRegistriesD, image)).as("skopeo under %s", policy)
        .isInstanceOf(IllegalStateException.class);
  }

  /** The store holds no blob (no layer, no config) and no image record; only its lock file. */
  private static void assertNothingStored(Path store) throws IOException {
    if (!Files.exists(store)) {
      return;
    }
    try (Stream<Path> files = Files.walk(store)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> store.relativize(f).toString()))
          .as("files in the store after a refusal").allMatch(f -> f.equals("lock"));
    }
  }

  /** How a refusal under {@link #policy} names its scope and requirement. */
  private static String byRegistryScope(String requirementType) {
    return " is refused by signature policy scope docker: " + REGISTRY.hostAndPort() + " (" + requirementType + "): ";
  }

  /** A policy that rejects every image but this registry's, where {@code requirement} (JSON) must hold. */
  private Path policy(String requirement) throws IOException {
    return writePolicy("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"" + REGISTRY.hostAndPort()
        + "\": [" + requirement + "]}}}");
  }

  private Path writePolicy(String json) throws IOException {
    return Files.writeString(Files.createTempFile(temp, "policy", ".json"), json);
  }

  private static String signedBy(String keyField, String keyValue) {
    return "{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"" + keyField + "\": " + keyValue + "}";
  }

  /** cosign's payloads name the repository only: matchRepository, as containers/image users write it. */
  private static String sigstoreSigned(Path publicKey) {
    return "{\"type\": \"sigstoreSigned\", \"keyPath\": " + quoted(publicKey)
        + ", \"signedIdentity\": {\"type\": \"matchRepository\"}}";
  }

  private static String quoted(Object value) {
    return "\"" + value + "\"";
  }

  private static Path registriesD(Path parent, String name, String yaml) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("config.yaml"), yaml);
    return dir;
  }

  private static String repository(String image) {
    return image.substring(0, image.lastIndexOf(':'));
  }

  /** The manifest digest skopeo reads; asked once per image (no test moves a tag once pushed). */
  private static String digestOf(String image) {
    return DIGESTS.computeIfAbsent(image, i -> HostCommand.run(TIMEOUT, List.of("skopeo", "inspect", "--tls-verify=false",
        "--format", "{{.Digest}}", "docker://" + i)).strip());
  }

  private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

  /** The digests of the config and the layers, as skopeo reads the manifest. */
  private static List<String> blobsOf(String image) throws IOException {
    JsonNode manifest = JSON.readTree(HostCommand.run(TIMEOUT, List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + image)));
    List<String> digests = new ArrayList<>(List.of(manifest.get("config").get("digest").asText()));
    manifest.get("layers").forEach(layer -> digests.add(layer.get("digest").asText()));
    return digests;
  }

  /** Puts the simple-signing signature skopeo wrote for one manifest where another's are looked for. */
  private static void copyLookasideSignature(String fromRepository, String fromDigest, String toRepository, String toDigest)
      throws IOException {
    Path from = lookaside.resolve(fromRepository + "@" + fromDigest.replace(':', '=')).resolve("signature-1");
    Path to = Files.createDirectories(lookaside.resolve(toRepository + "@" + toDigest.replace(':', '=')));
    Files.copy(from, to.resolve("signature-1"));
  }

  private Path skopeoCopy(Path policy, Path registriesD, String image) throws IOException {
    Path destination = Files.createTempDirectory(temp, "skopeo-copy");
    HostCommand.run(TIMEOUT, List.of("skopeo", "copy", "--quiet", "--policy", policy.toString(), "--registries.d",
        registriesD.toString(), "--src-tls-verify=false", "docker://" + image, "dir:" + destination));
    return destination;
  }

  private void skopeoAccepts(Path policy, Path registriesD, String image) throws IOException {
    Path copied = skopeoCopy(policy, registriesD, image);
    assertThat(copied.resolve("manifest.json")).isRegularFile();
  }

  private void skopeoRefuses(Path policy, Path registriesD, String image) {
    assertThatThrownBy(() -> skopeoCopy(policy, registriesD, image)).as("skopeo copy of %s under %s", image, policy)
        .hasMessageContaining("Source image rejected");
  }

  /** Lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo, as openssl writes it. */
  private String opensslFingerprint(Path publicKey) throws IOException {
    Path der = Files.createTempFile(temp, "key", ".der");
    HostCommand.run(TIMEOUT, List.of("openssl", "pkey", "-pubin", "-in", publicKey.toString(), "-outform", "DER", "-out",
        der.toString()));
    return HostCommand.run(TIMEOUT, List.of("sha256sum", der.toString())).split(" ")[0];
  }

  /**
   * The payload of the one signature under {@code signatureTag}, after openssl verified its
   * signature with {@code publicKey}; skopeo fetches the manifest and payload, checking digests.
   */
  private byte[] opensslVerifiedPayload(String signatureTag, Path publicKey) throws IOException {
    Path layout = temp.resolve("signature-layout");
    Skopeo.pullToLayout(signatureTag, layout, "sig");
    JsonNode manifest = JSON.readTree(HostCommand.run(TIMEOUT, List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + signatureTag)));
    assertThat(manifest.get("layers")).hasSize(1);
    JsonNode layer = manifest.get("layers").get(0);
    assertThat(layer.get("mediaType").asText()).isEqualTo(COSIGN_PAYLOAD_TYPE);
    Path payload = layout.resolve("blobs/sha256/" + layer.get("digest").asText().substring("sha256:".length()));
    Path signature = Files.write(temp.resolve("signature.der"),
        Base64.getDecoder().decode(layer.get("annotations").get(COSIGN_SIGNATURE).asText()));
    assertThat(HostCommand.run(TIMEOUT, List.of("openssl", "dgst", "-sha256", "-verify", publicKey.toString(), "-signature",
        signature.toString(), payload.toString()))).contains("Verified OK");
    return Files.readAllBytes(payload);
  }
}
