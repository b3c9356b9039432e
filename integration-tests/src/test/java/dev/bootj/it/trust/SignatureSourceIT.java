package dev.bootj.it.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.BootjException;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.registry.RegistryCredentials;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.trust.CosignSignature;
import dev.bootj.oci.trust.ImageSignatures;
import dev.bootj.oci.trust.lookup.RegistriesD;
import dev.bootj.oci.trust.lookup.RegistriesDSignatureSource;
import dev.bootj.oci.trust.lookup.SigstoreAttachmentWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Where signatures come from, against a real registry and the tools that write signatures: the
 * lookaside signatures {@code skopeo copy --sign-by} writes (GPG keys made by {@code gpg}) are
 * found exactly, served over HTTP by Python's http.server and as files; skopeo chooses the same
 * registries.d scope for writing as bootj; and the cosign {@code .sig} manifest bootj writes has
 * cosign's shape as skopeo reads it raw, copies it as an image (checking every digest), and reads
 * it as sigstore attachments, and {@code openssl} verifies the signature in it.
 */
@Testcontainers
class SignatureSourceIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Container static final TestRegistry REGISTRY = new TestRegistry();

  @TempDir static Path shared;
  private static Path gnupg;
  private static String alice;
  private static String bob;
  private static String signedImage;
  private static Digest signedDigest;

  @TempDir Path temp;

  @BeforeAll
  static void keysAndImage() throws Exception {
    gnupg = Files.createDirectory(shared.resolve("gnupg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    alice = generateKey("Alice <alice@bootj.test>");
    bob = generateKey("Bob <bob@bootj.test>");
    signedImage = push(shared, "bootj/signed:1", "signed\n");
    signedDigest = digestOf(signedImage);
  }

  private static String generateKey(String userId) {
    gpg("--batch", "--passphrase", "", "--quick-gen-key", userId, "ed25519", "sign", "never");
    String colons = gpg("--with-colons", "--list-secret-keys", userId);
    return colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
  }

  private static String gpg(String... args) {
    List<String> command = new ArrayList<>(List.of("env", "GNUPGHOME=" + gnupg, "gpg"));
    command.addAll(List.of(args));
    return HostCommand.run(TIMEOUT, command);
  }

  private static String push(Path dir, String repoAndTag, String motd) throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.dir("etc");
    tar.file("etc/motd", motd);
    Path layout = Files.createTempDirectory(dir, "layout");
    OciLayoutWriter.write(layout, "v1", OciLayoutWriter.TAR_GZIP, List.of(tar.build()));
    return Skopeo.push(layout, "v1", REGISTRY, repoAndTag);
  }

  private static Digest digestOf(String reference) {
    return Digest.parse(HostCommand.run(TIMEOUT, List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
        "docker://" + reference)).strip());
  }

  /** {@code skopeo copy --sign-by}: skopeo writes a simple-signing signature where registriesD says. */
  private static void skopeoSign(Path registriesD, String fingerprint, String source, String destination) {
    HostCommand.run(TIMEOUT, List.of("env", "GNUPGHOME=" + gnupg, "skopeo", "--insecure-policy", "copy", "--quiet",
        "--registries.d", registriesD.toString(), "--src-tls-verify=false", "--dest-tls-verify=false",
        "--sign-by", fingerprint, "docker://" + source, "docker://" + destination));
  }

  private static RegistryReference reference(String text) {
    return (RegistryReference) ImageReference.parse(text);
  }

  private Path registriesD(String name, String yaml) throws IOException {
    Path dir = Files.createDirectories(temp.resolve(name));
    Files.writeString(dir.resolve("config.yaml"), yaml);
    return dir;
  }

  private static RegistryCredentials noCredentials(Path home) {
    return RegistryCredentials.fromEnvironment(null, null, Map.of("HOME", home.toString()));
  }

  @Test
  void findsExactlyTheSignaturesSkopeoWroteToTheLookaside() throws Exception {
    Path lookaside = Files.createDirectories(temp.resolve("lookaside"));
    Path skopeoConfig = registriesD("skopeo.d", "default-docker:\n  sigstore: file://" + lookaside + "\n  sigstore-staging: file://" + lookaside + "\n");
    String image = REGISTRY.reference("bootj/lookaside:1");
    Skopeo.copy("docker://" + signedImage, "docker://" + image);
    // Two signers: the second copy carries the first signature over and adds its own.
    skopeoSign(skopeoConfig, alice, image, image);
    skopeoSign(skopeoConfig, bob, image, image);
    assertThat(digestOf(image)).isEqualTo(signedDigest);
    Path signatures = lookaside.resolve("bootj/lookaside@sha256=" + signedDigest.hex());
    List<Path> files;
    try (Stream<Path> list = Files.list(signatures)) {
      files = list.sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("signature-1", "signature-2");

    Process server = serve(lookaside);
    try {
      String scope = REGISTRY.hostAndPort() + "/bootj";
      RegistriesD overHttp = RegistriesD.load(registriesD("http.d",
          "docker:\n  " + scope + ":\n    lookaside: http://127.0.0.1:" + port + "\n"));
      ImageSignatures found = new RegistriesDSignatureSource(overHttp, false, noCredentials(temp))
          .signaturesOf(reference(image), signedDigest);

      assertThat(found.simpleSigning()).containsExactly(Files.readAllBytes(files.get(0)), Files.readAllBytes(files.get(1)));
      assertThat(found.cosign()).isEmpty();
      // They are skopeo's signatures of this very manifest, as gpg reads them.
      for (byte[] signature : found.simpleSigning()) {
        Path file = Files.write(temp.resolve("signature"), signature);
        String payload = gpg("--batch", "--decrypt", file.toString());
        assertThat(payload).contains("\"docker-manifest-digest\":\"" + signedDigest + "\"", "\"docker-reference\":\"" + image + "\"");
      }

      // Another manifest of the same repository has no signatures.
      ImageSignatures other = new RegistriesDSignatureSource(overHttp, false, noCredentials(temp))
          .signaturesOf(reference(image), Digest.of(new byte[] {1}));
      assertThat(other.simpleSigning()).isEmpty();
    } finally {
      server.destroy();
    }

    RegistriesD asFiles = RegistriesD.load(registriesD("file.d", "default-docker:\n  lookaside: file://" + lookaside + "\n"));
    assertThat(new RegistriesDSignatureSource(asFiles, false, noCredentials(temp)).signaturesOf(reference(image), signedDigest).simpleSigning())
        .containsExactly(Files.readAllBytes(files.get(0)), Files.readAllBytes(files.get(1)));
  }

  @Test
  void anUnreachableLookasideIsAnAccessError() throws Exception {
    int closed = freePort();
    RegistriesD config = RegistriesD.load(registriesD("down.d", "default-docker:\n  lookaside: http://127.0.0.1:" + closed + "/sigs\n"));

    assertThatThrownBy(() -> new RegistriesDSignatureSource(config, false, noCredentials(temp)).signaturesOf(reference(signedImage), signedDigest))
        .isInstanceOf(BootjException.class)
        .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.IMAGE_ACCESS))
        .hasMessageStartingWith("cannot reach the signature lookaside at http://127.0.0.1:" + closed + "/sigs/bootj/signed@sha256=")
        .hasMessageNotContaining("\n");
  }

  /** skopeo (containers/image) as the oracle for scope choice: bootj must name the directory skopeo wrote to. */
  @Test
  void choosesTheScopeSkopeoWritesTo() throws Exception {
    Path root = temp.resolve("staging");
    String host = REGISTRY.hostAndPort();
    Path config = registriesD("scopes.d", String.join("\n",
        "default-docker:",
        "  sigstore-staging: file://" + root.resolve("default"),
        "docker:",
        "  " + host + ":",
        "    sigstore-staging: file://" + root.resolve("host"),
        "  " + host + "/bootj:",
        "    lookaside-staging: file://" + root.resolve("namespace"),
        "  " + host + "/bootj/tagged:special:",
        "    sigstore-staging: file://" + root.resolve("image"),
        "  " + host + "/bootj/fallthrough:",
        "    use-sigstore-attachments: false",
        "  " + host + "/bootj/readonly:",
        "    lookaside: file://" + root.resolve("readonly"),
        ""));
    RegistriesD bootj = RegistriesD.load(config);
    String otherHost = "127.0.0.1:" + REGISTRY.hostPort();
    List<String> destinations = List.of(host + "/other/app:1", host + "/bootj/app:1", host + "/bootj/tagged:special",
        host + "/bootj/tagged:plain", host + "/bootj/fallthrough:1", host + "/bootj/readonly:1", otherHost + "/bootj/app:1");

    for (String destination : destinations) {
      skopeoSign(config, alice, signedImage, destination);
      RegistryReference ref = reference(destination);
      Path expected = Path.of(bootj.storageFor(ref).lookasideForWriting().getPath())
          .resolve(ref.repository() + "@sha256=" + signedDigest.hex()).resolve("signature-1");
      assertThat(expected).as("where skopeo signed %s", destination).isRegularFile();
      Files.delete(expected); // so that each destination's signature is found only where it was written
    }
    try (Stream<Path> left = Files.walk(root)) {
      assertThat(left.filter(Files::isRegularFile)).as("signatures written elsewhere than bootj expects").isEmpty();
    }
  }

  @Test
  void theCosignManifestBootjWritesIsCosignsShapeAndReadsBack() throws Exception {
    String image = REGISTRY.reference("bootj/cosigned:1");
    Skopeo.copy("docker://" + signedImage, "docker://" + image);
    Path key = temp.resolve("key.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
    Path publicKey = temp.resolve("pub.pem");
    openssl("ec", "-in", key.toString(), "-pubout", "-out", publicKey.toString());
    byte[] first = cosignPayload(image, "first");
    byte[] second = cosignPayload(image, "second");
    String firstSignature = opensslSign(key, first);
    String secondSignature = opensslSign(key, second);

    SigstoreAttachmentWriter writer = new SigstoreAttachmentWriter(false, noCredentials(temp));
    SigstoreAttachmentWriter.Result added = writer.addSignature(reference(image), signedDigest, first, firstSignature);
    SigstoreAttachmentWriter.Result again = writer.addSignature(reference(image), signedDigest, first, firstSignature);
    SigstoreAttachmentWriter.Result addedSecond = writer.addSignature(reference(image), signedDigest, second, secondSignature);

    String sigTag = image.substring(0, image.lastIndexOf(':')) + ":sha256-" + signedDigest.hex() + ".sig";
    assertThat(added.outcome()).isEqualTo(SigstoreAttachmentWriter.Outcome.ADDED);
    assertThat(added.signatureTag()).hasToString(sigTag);
    assertThat(again.outcome()).isEqualTo(SigstoreAttachmentWriter.Outcome.ALREADY_PRESENT);
    assertThat(again.manifestDigest()).isEqualTo(added.manifestDigest());
    assertThat(addedSecond.outcome()).isEqualTo(SigstoreAttachmentWriter.Outcome.ADDED);
    assertThat(digestOf(image)).as("the signed image itself is untouched").isEqualTo(signedDigest);

    // skopeo reads the manifest raw: cosign's media types and annotation, both layers.
    String raw = HostCommand.run(TIMEOUT, List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + sigTag));
    assertThat(Digest.of(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(addedSecond.manifestDigest());
    JsonNode manifest = JSON.readTree(raw);
    assertThat(manifest.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.get("config").get("mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(manifest.get("layers")).hasSize(2);
    assertThat(manifest.get("layers")).allSatisfy(layer ->
        assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json"));
    assertThat(manifest.get("layers").get(0).get("annotations").get("dev.cosignproject.cosign/signature").asText()).isEqualTo(firstSignature);
    assertThat(manifest.get("layers").get(1).get("annotations").get("dev.cosignproject.cosign/signature").asText()).isEqualTo(secondSignature);

    // skopeo copies it as an image, checking every blob against its digest; openssl verifies the signature over the copied payload.
    Path copy = temp.resolve("sig-layout");
    Skopeo.pullToLayout(sigTag, copy, "sig");
    for (int i = 0; i < 2; i++) {
      Path payload = copy.resolve("blobs/sha256/" + manifest.get("layers").get(i).get("digest").asText().substring(7));
      Path signature = Files.write(temp.resolve("sig-" + i + ".der"),
          Base64.getDecoder().decode(manifest.get("layers").get(i).get("annotations").get("dev.cosignproject.cosign/signature").asText()));
      assertThat(openssl("dgst", "-sha256", "-verify", publicKey.toString(), "-signature", signature.toString(), payload.toString()))
          .contains("Verified OK");
    }
    JsonNode config = JSON.readTree(copy.resolve("blobs/sha256/" + manifest.get("config").get("digest").asText().substring(7)).toFile());
    assertThat(config.get("rootfs").get("diff_ids")).extracting(JsonNode::asText)
        .containsExactly(manifest.get("layers").get(0).get("digest").asText(), manifest.get("layers").get(1).get("digest").asText());

    // bootj's reader, through registries.d, finds both; the lookaside has none.
    RegistriesD attachments = RegistriesD.load(registriesD("attach.d",
        "docker:\n  " + REGISTRY.hostAndPort() + "/bootj:\n    use-sigstore-attachments: true\n    lookaside: file://" + temp.resolve("none") + "\n"));
    ImageSignatures found = new RegistriesDSignatureSource(attachments, false, noCredentials(temp)).signaturesOf(reference(image), signedDigest);
    assertThat(found.simpleSigning()).isEmpty();
    assertThat(found.cosign()).extracting(CosignSignature::base64Signature).containsExactly(firstSignature, secondSignature);
    assertThat(found.cosign().get(0).payload()).isEqualTo(first);
    assertThat(found.cosign().get(1).payload()).isEqualTo(second);

    // containers/image reads them as sigstore attachments too: skopeo copies them into a dir: image,
    // each as "\0sigstore-json\n" and a JSON record of media type, payload and annotations.
    Path skopeoAttachments = registriesD("skopeo-attach.d", "default-docker:\n  use-sigstore-attachments: true\n");
    Path dir = temp.resolve("dir-copy");
    HostCommand.run(TIMEOUT, List.of("skopeo", "--insecure-policy", "copy", "--quiet", "--registries.d", skopeoAttachments.toString(),
        "--src-tls-verify=false", "docker://" + image, "dir:" + dir));
    List<byte[]> payloads = List.of(first, second);
    List<String> base64Signatures = List.of(firstSignature, secondSignature);
    for (int i = 0; i < 2; i++) {
      byte[] stored = Files.readAllBytes(dir.resolve("signature-" + (i + 1)));
      byte[] prefix = "\0sigstore-json\n".getBytes(StandardCharsets.UTF_8);
      assertThat(Arrays.copyOf(stored, prefix.length)).isEqualTo(prefix);
      JsonNode record = JSON.readTree(Arrays.copyOfRange(stored, prefix.length, stored.length));
      assertThat(record.get("mimeType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
      assertThat(Base64.getDecoder().decode(record.get("payload").asText())).isEqualTo(payloads.get(i));
      assertThat(record.get("annotations").get("dev.cosignproject.cosign/signature").asText()).isEqualTo(base64Signatures.get(i));
    }
    assertThat(dir.resolve("signature-3")).doesNotExist();

    // Without use-sigstore-attachments, the registry is not asked.
    RegistriesD without = RegistriesD.load(registriesD("plain.d", "default-docker:\n  lookaside: file://" + temp.resolve("none") + "\n"));
    assertThat(new RegistriesDSignatureSource(without, false, noCredentials(temp)).signaturesOf(reference(image), signedDigest).cosign()).isEmpty();
  }

  @Test
  void pushesAndReadsWithTheRegistrysCredentials() throws Exception {
    String hash = OpenBSDBCrypt.generate("2b", "s3cret".toCharArray(), new byte[16], 6);
    try (TestRegistry registry = new TestRegistry().withHtpasswd("alice:" + hash)) {
      registry.start();
      String image = registry.reference("bootj/private:1");
      Skopeo.copy("docker://" + signedImage, "docker://" + image, false, "alice:s3cret");
      RegistryCredentials credentials = RegistryCredentials.fromEnvironment("alice:s3cret", null, Map.of("HOME", temp.toString()));
      byte[] payload = cosignPayload(image, "private");

      assertThatThrownBy(() -> new SigstoreAttachmentWriter(false, noCredentials(temp)).addSignature(reference(image), signedDigest, payload, "c2ln"))
          .isInstanceOf(BootjException.class)
          .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.IMAGE_ACCESS))
          .hasMessageContaining("refused access to bootj/private");
      new SigstoreAttachmentWriter(false, credentials).addSignature(reference(image), signedDigest, payload, "c2ln");

      RegistriesD attachments = RegistriesD.load(registriesD("private.d",
          "default-docker:\n  use-sigstore-attachments: true\n  lookaside: file://" + temp.resolve("none") + "\n"));
      assertThat(new RegistriesDSignatureSource(attachments, false, credentials).signaturesOf(reference(image), signedDigest).cosign())
          .extracting(CosignSignature::base64Signature).containsExactly("c2ln");
      assertThatThrownBy(() -> new RegistriesDSignatureSource(attachments, false, noCredentials(temp)).signaturesOf(reference(image), signedDigest))
          .hasMessageContaining("refused access to bootj/private");
    }
  }

  /** The payload cosign signs: the image's repository and manifest digest. */
  private static byte[] cosignPayload(String image, String note) {
    String repository = image.substring(0, image.lastIndexOf(':'));
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + repository + "\"},\"image\":{\"docker-manifest-digest\":\""
        + signedDigest + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"note\":\"" + note + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private String opensslSign(Path key, byte[] payload) throws IOException {
    Path in = Files.write(Files.createTempFile(temp, "payload", ".json"), payload);
    Path out = temp.resolve(in.getFileName() + ".der");
    openssl("dgst", "-sha256", "-sign", key.toString(), "-out", out.toString(), in.toString());
    return Base64.getEncoder().encodeToString(Files.readAllBytes(out));
  }

  private static String openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    return HostCommand.run(TIMEOUT, command);
  }

  private int port;

  /** Python's http.server on loopback, serving {@code dir}; the caller destroys it. */
  private Process serve(Path dir) throws Exception {
    port = freePort();
    Process server = new ProcessBuilder("/usr/bin/python3", "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1",
        "--directory", dir.toString())
        .redirectErrorStream(true).redirectOutput(temp.resolve("http.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return server;
      } catch (IOException notYet) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          server.destroy();
          throw new IllegalStateException("python3 -m http.server did not start: " + Files.readString(temp.resolve("http.log")));
        }
        Thread.sleep(100);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
