package dev.bootj.oci.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.testing.OciLayoutWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (containers/image) as the oracle: for the oci and oci-archive transports, a policy whose
 * scope bootj resolves to {@code reject} must make {@code skopeo copy} refuse the image, and one
 * it resolves to {@code insecureAcceptAnything} must let it through; and policies bootj refuses as
 * malformed must be refused by skopeo too. Skipped where skopeo is not installed.
 */
class SkopeoPolicyOracleTest {

  private static final String ACCEPT = "[{\"type\": \"insecureAcceptAnything\"}]";
  private static final String REJECT = "[{\"type\": \"reject\"}]";

  @TempDir static Path shared;
  private static Path root;
  private static Path layout;
  private static Path archive;

  private Path work;
  private int copies;

  @BeforeAll
  static void images() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
    root = shared.toRealPath();
    layout = root.resolve("site/images/os");
    OciLayoutWriter.write(layout, "v1", List.of());
    archive = root.resolve("site/archives/os.tar");
    Files.createDirectories(archive.getParent());
    run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "."));
    Files.createSymbolicLink(root.resolve("link"), root.resolve("site"));
  }

  @BeforeEach
  void workDir(@TempDir Path dir) {
    work = dir;
  }

  /** A policy with the given default and transport-to-scopes JSON body. */
  private static String policy(String defaultRequirements, String transports) {
    return "{\"default\": " + defaultRequirements + ", \"transports\": {" + transports + "}}";
  }

  private static String scope(String scope, String requirements) {
    return "\"" + scope + "\": " + requirements;
  }

  /** What bootj decides and what skopeo does agree, and bootj chose {@code expectedScope}. */
  private void agree(String policyJson, String reference, String expectedScope) throws Exception {
    Policy policy = PolicyParser.parse(policyJson, "policy.json");
    ScopedRequirements chosen = policy.requirementsFor(ImageReference.parse(reference));
    assertThat(chosen.scope()).isEqualTo(expectedScope);
    boolean bootjAccepts = chosen.requirements().stream().allMatch(r -> r instanceof Requirement.InsecureAcceptAnything);
    boolean bootjRejects = chosen.requirements().stream().anyMatch(r -> r instanceof Requirement.Reject);
    assertThat(bootjAccepts || bootjRejects).as("the oracle policies use only accept and reject").isTrue();

    Result skopeo = skopeoCopy(policyJson, reference);
    if (bootjAccepts) {
      assertThat(skopeo.exit).as("skopeo accepts %s: %s", reference, skopeo.output).isZero();
    } else {
      assertThat(skopeo.exit).as("skopeo rejects %s", reference).isNotZero();
      assertThat(skopeo.output).contains("rejected by policy");
    }
  }

  @Test
  void theLayoutDirectoryItselfIsTheMostSpecificScope() throws Exception {
    String p = policy(ACCEPT, "\"oci\": {" + scope(layout.toString(), REJECT) + "}");
    agree(p, "oci:" + layout + ":v1", "oci: " + layout);
    agree(p, "oci:" + layout, "oci: " + layout);
  }

  @Test
  void theTagIsNotPartOfTheScope() throws Exception {
    String p = policy(REJECT, "\"oci\": {" + scope(layout.toString(), ACCEPT) + "}");
    agree(p, "oci:" + layout + ":v1", "oci: " + layout);
  }

  @Test
  void parentDirectoriesAreScopesAndTheNearestWins() throws Exception {
    Path parent = layout.getParent();
    Path grandParent = parent.getParent();
    agree(policy(ACCEPT, "\"oci\": {" + scope(parent.toString(), REJECT) + "}"), "oci:" + layout + ":v1", "oci: " + parent);
    agree(policy(REJECT, "\"oci\": {" + scope(grandParent.toString(), REJECT) + ", " + scope(parent.toString(), ACCEPT) + "}"),
        "oci:" + layout + ":v1", "oci: " + parent);
    agree(policy(ACCEPT, "\"oci\": {" + scope(grandParent.toString(), REJECT) + ", " + scope(parent.toString(), ACCEPT)
        + ", " + scope(layout.toString(), REJECT) + "}"), "oci:" + layout + ":v1", "oci: " + layout);
  }

  @Test
  void aSiblingWithTheSamePrefixIsNotAParent() throws Exception {
    String sibling = layout.getParent() + "/o";
    agree(policy(ACCEPT, "\"oci\": {" + scope(sibling, REJECT) + ", " + scope(layout + "s", REJECT) + "}"),
        "oci:" + layout + ":v1", "default");
  }

  @Test
  void theTransportDefaultThenTheGlobalDefault() throws Exception {
    agree(policy(ACCEPT, "\"oci\": {" + scope("", REJECT) + "}"), "oci:" + layout + ":v1", "oci: \"\"");
    agree(policy(REJECT, "\"oci\": {" + scope("", ACCEPT) + "}"), "oci:" + layout + ":v1", "oci: \"\"");
    agree(policy(REJECT, "\"oci\": {" + scope("/nowhere", ACCEPT) + "}"), "oci:" + layout + ":v1", "default");
    agree(policy(ACCEPT, ""), "oci:" + layout + ":v1", "default");
    agree(policy(REJECT, "\"docker\": {" + scope("", ACCEPT) + "}"), "oci:" + layout + ":v1", "default");
  }

  @Test
  void symbolicLinksAreResolvedBeforeMatching() throws Exception {
    String viaLink = "oci:" + root.resolve("link/images/os") + ":v1";
    agree(policy(ACCEPT, "\"oci\": {" + scope(layout.toString(), REJECT) + "}"), viaLink, "oci: " + layout);
    agree(policy(REJECT, "\"oci\": {" + scope(root.resolve("link").toString(), ACCEPT) + "}"), viaLink, "default");
  }

  @Test
  void archivesHaveTheirOwnTransportAndParentScopes() throws Exception {
    Path dir = archive.getParent();
    agree(policy(ACCEPT, "\"oci-archive\": {" + scope(archive.toString(), REJECT) + "}"),
        "oci-archive:" + archive + ":v1", "oci-archive: " + archive);
    agree(policy(ACCEPT, "\"oci-archive\": {" + scope(dir.toString(), REJECT) + "}"),
        "oci-archive:" + archive, "oci-archive: " + dir);
    agree(policy(REJECT, "\"oci-archive\": {" + scope(dir.toString(), REJECT) + ", " + scope(archive.toString(), ACCEPT) + "}"),
        "oci-archive:" + archive, "oci-archive: " + archive);
    agree(policy(ACCEPT, "\"oci\": {" + scope(archive.toString(), REJECT) + ", " + scope(dir.toString(), REJECT) + "}"),
        "oci-archive:" + archive, "default");
  }

  /** Policies both refuse; the docker-transport cases need no registry, since the policy is read first. */
  @Test
  void malformedPoliciesAreRefusedByBoth() throws Exception {
    List<String> malformed = List.of(
        "{}",
        "{\"default\": []}",
        "{\"default\": " + REJECT + ", \"extra\": 1}",
        "{\"default\": " + REJECT + ", \"default\": " + ACCEPT + "}",
        "{\"default\": [{\"type\": \"rejected\"}]}",
        "{\"default\": [{\"type\": \"reject\", \"keyPath\": \"/k\"}]}",
        "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"PGP\", \"keyPath\": \"/k\"}]}",
        "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\"}]}",
        "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"/k\", \"keyData\": \"YQ==\"}]}",
        "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"/k\","
            + " \"signedIdentity\": {\"type\": \"exactReference\", \"dockerReference\": \"r.example/os\"}}]}",
        "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"/k\","
            + " \"signedIdentity\": {\"type\": \"remapIdentity\", \"prefix\": \"m.example/a:1\", \"signedPrefix\": \"v.example\"}}]}",
        "{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"/k\", \"keyData\": \"YQ==\"}]}",
        "{\"default\": " + REJECT + ", \"transports\": {\"oci\": {\"relative/dir\": " + REJECT + "}}}",
        "{\"default\": " + REJECT + ", \"transports\": {\"oci\": {\"/\": " + REJECT + "}}}",
        "{\"default\": " + REJECT + ", \"transports\": {\"oci\": {\"/srv/images/\": " + REJECT + "}}}",
        "{\"default\": " + REJECT + ", \"transports\": {\"oci-archive\": {\"/srv/../a.tar\": " + REJECT + "}}}",
        "{\"default\": " + REJECT + "} trailing");
    for (String json : malformed) {
      assertThatThrownBy(() -> PolicyParser.parse(json, "policy.json")).as(json).isInstanceOf(PolicyFormatException.class);
      Result skopeo = skopeoCopy(json, "oci:" + layout + ":v1");
      assertThat(skopeo.exit).as(json).isNotZero();
      assertThat(skopeo.output).as(json).containsAnyOf("Error loading trust policy", "invalid policy");
    }
  }

  /**
   * Where bootj is deliberately stricter: skopeo accepts these scopes but they never match
   * anything, so a policy author who wrote them would silently get a wider scope's rules.
   */
  @Test
  void scopesThatNeverMatchAreRefusedOnlyByBootj() throws Exception {
    for (String json : List.of(
        policy(ACCEPT, "\"oci\": {" + scope(layout + ":v1", REJECT) + "}"),
        policy(ACCEPT, "\"docker\": {" + scope("example*.*.com", REJECT) + "}"))) {
      assertThatThrownBy(() -> PolicyParser.parse(json, "policy.json")).as(json).isInstanceOf(PolicyFormatException.class);
      assertThat(skopeoCopy(json, "oci:" + layout + ":v1").exit).as("skopeo accepts and ignores %s", json).isZero();
    }
  }

  private record Result(int exit, String output) {}

  private Result skopeoCopy(String policyJson, String source) throws Exception {
    Path policyFile = work.resolve("policy-" + copies + ".json");
    Files.writeString(policyFile, policyJson);
    Path destination = work.resolve("dst-" + copies++);
    return run(List.of("skopeo", "--insecure-policy=false", "copy", "--policy", policyFile.toString(),
        source, "oci:" + destination + ":v1"));
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    return new Result(p.exitValue(), out);
  }
}
