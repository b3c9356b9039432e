package dev.bootj.oci.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.LayoutReference;
import dev.bootj.oci.reference.RegistryReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyScopeResolutionTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  /** Every scope holds one reject requirement; which scope was chosen is what the table checks. */
  private static final String POLICY = """
      {"default": [{"type": "reject"}],
       "transports": {
         "docker": {
           "": [{"type": "reject"}],
           "registry.example/team/os:1": [{"type": "reject"}],
           "registry.example/team/os@%1$s": [{"type": "reject"}],
           "registry.example/team/os": [{"type": "reject"}],
           "registry.example/team": [{"type": "reject"}],
           "registry.example": [{"type": "reject"}],
           "registry.example:5000": [{"type": "reject"}],
           "*.corp.example.com": [{"type": "reject"}],
           "*.example.com": [{"type": "reject"}],
           "*.com": [{"type": "reject"}],
           "docker.io/library/busybox": [{"type": "reject"}],
           "docker.io/library": [{"type": "reject"}],
           "localhost:5000/ns": [{"type": "reject"}]
         },
         "oci-archive": {
           "/srv/archives/os.tar": [{"type": "reject"}],
           "/srv/archives": [{"type": "reject"}]
         }
       }}""".formatted(DIGEST);

  private static Policy policy() throws Exception {
    return PolicyParser.parse(POLICY, "policy.json");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      registry.example/team/os:1                        | docker: registry.example/team/os:1
      registry.example/team/os:2                        | docker: registry.example/team/os
      registry.example/team/os                          | docker: registry.example/team/os
      registry.example/team/os@DIGEST                   | docker: registry.example/team/os@DIGEST
      registry.example/team/os:1@DIGEST                 | docker: registry.example/team/os@DIGEST
      registry.example/team/other:1                     | docker: registry.example/team
      registry.example/team/sub/deep:1                  | docker: registry.example/team
      registry.example/teams/os:1                       | docker: registry.example
      registry.example/os                               | docker: registry.example
      registry.example:5000/team/os:1                   | docker: registry.example:5000
      registry.example:5001/os                          | docker: ""
      a.corp.example.com/os                             | docker: *.corp.example.com
      a.b.corp.example.com:8443/os                      | docker: *.corp.example.com
      corp.example.com/os                               | docker: *.example.com
      other.example.com/os                              | docker: *.example.com
      example.com/os                                    | docker: *.com
      quay.io/os                                        | docker: ""
      busybox                                           | docker: docker.io/library/busybox
      docker.io/busybox:1.36                            | docker: docker.io/library/busybox
      index.docker.io/library/busybox                   | docker: docker.io/library/busybox
      debian:12                                         | docker: docker.io/library
      someone/tool                                      | docker: ""
      localhost:5000/ns/os                              | docker: localhost:5000/ns
      localhost/ns/os                                   | docker: ""
      oci-archive:/srv/archives/os.tar                  | oci-archive: /srv/archives/os.tar
      oci-archive:/srv/archives/os.tar:v1               | oci-archive: /srv/archives/os.tar
      oci-archive:/srv/archives/other.tar               | oci-archive: /srv/archives
      oci-archive:/srv/archives/nested/os.tar:v1        | oci-archive: /srv/archives
      oci-archive:/srv/other.tar                        | default
      oci:/srv/archives/os.tar                          | default
      """)
  void choosesTheMostSpecificScope(String reference, String scope) throws Exception {
    ImageReference image = ImageReference.parse(reference.replace("DIGEST", DIGEST));
    // Layout paths here are already absolute and free of symlinks, and need not exist.
    ScopedRequirements chosen = image instanceof LayoutReference layout
        ? policy().requirementsFor(PolicyIdentity.ofLayout(
            layout.kind() == LayoutReference.Kind.ARCHIVE ? "oci-archive" : "oci", layout.path()))
        : policy().requirementsFor(image);
    assertThat(chosen.scope()).isEqualTo(scope.replace("DIGEST", DIGEST));
  }

  @Test
  void theChosenScopesRequirementsAreReturnedAndTheWiderOnesIgnored() throws Exception {
    Policy p = PolicyParser.parse("""
        {"default": [{"type": "reject"}],
         "transports": {"docker": {
           "registry.example": [{"type": "reject"}],
           "registry.example/os": [{"type": "insecureAcceptAnything"}, {"type": "sigstoreSigned", "keyPath": "/k.pub"}]}}}""",
        "policy.json");
    ScopedRequirements chosen = p.requirementsFor(ImageReference.parse("registry.example/os:1"));
    assertThat(chosen.scope()).isEqualTo("docker: registry.example/os");
    assertThat(chosen.requirements()).hasSize(2).first().isEqualTo(new Requirement.InsecureAcceptAnything());
    assertThat(p.requirementsFor(ImageReference.parse("registry.example/x")).requirements())
        .containsExactly(new Requirement.Reject());
  }

  @Test
  void aTransportWithoutScopesFallsToTheGlobalDefault() throws Exception {
    Policy p = PolicyParser.parse("{\"default\": [{\"type\": \"insecureAcceptAnything\"}],"
        + "\"transports\": {\"docker\": {}}}", "policy.json");
    ScopedRequirements chosen = p.requirementsFor(ImageReference.parse("registry.example/os"));
    assertThat(chosen.scope()).isEqualTo("default");
    assertThat(chosen.requirements()).containsExactly(new Requirement.InsecureAcceptAnything());
  }

  @Test
  void dockerNamespacesAreListedMostSpecificFirst() {
    RegistryReference ref = (RegistryReference) ImageReference.parse("a.b.example.com:5000/ns/sub/os:1");
    PolicyIdentity identity = PolicyIdentity.ofRegistry(ref);
    assertThat(identity.transport()).isEqualTo("docker");
    assertThat(identity.identity()).isEqualTo("a.b.example.com:5000/ns/sub/os:1");
    assertThat(identity.namespaces()).containsExactly(
        "a.b.example.com:5000/ns/sub/os", "a.b.example.com:5000/ns/sub", "a.b.example.com:5000/ns",
        "a.b.example.com:5000", "*.b.example.com", "*.example.com", "*.com");
  }

  @Test
  void hostsWithoutDotsHaveNoWildcards() {
    PolicyIdentity identity = PolicyIdentity.ofRegistry((RegistryReference) ImageReference.parse("localhost:5000/os"));
    assertThat(identity.namespaces()).containsExactly("localhost:5000/os", "localhost:5000");
  }

  @Test
  void layoutScopesAreResolvedPathsAndTheirParentsButNotTheRoot(@TempDir Path dir) throws Exception {
    Path real = Files.createDirectories(dir.resolve("real/images"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));
    Path realDir = dir.toRealPath();

    PolicyIdentity viaLink = PolicyIdentity.of(ImageReference.parse("oci:" + link.resolve("images") + ":v1"));
    assertThat(viaLink.transport()).isEqualTo("oci");
    assertThat(viaLink.identity()).isEqualTo(real.toRealPath().toString());
    assertThat(viaLink.namespaces()).first().isEqualTo(real.toRealPath().toString());
    assertThat(viaLink.namespaces()).contains(realDir.resolve("real").toString()).doesNotContain("/", "");
    assertThat(viaLink.namespaces().get(viaLink.namespaces().size() - 1)).matches("/[^/]+");

    // A destination that does not exist yet keeps its name under its resolved parent.
    PolicyIdentity missing = PolicyIdentity.of(ImageReference.parse("oci-archive:" + link.resolve("new.tar")));
    assertThat(missing.transport()).isEqualTo("oci-archive");
    assertThat(missing.identity()).isEqualTo(realDir.resolve("real/new.tar").toString());

    Policy p = PolicyParser.parse("""
        {"default": [{"type": "reject"}],
         "transports": {"oci": {"%s": [{"type": "insecureAcceptAnything"}], "": [{"type": "reject"}]}}}"""
        .formatted(realDir.resolve("real")), "policy.json");
    assertThat(p.requirementsFor(ImageReference.parse("oci:" + link.resolve("images"))).scope())
        .isEqualTo("oci: " + realDir.resolve("real"));
    assertThat(p.requirementsFor(ImageReference.parse("oci:" + dir.resolve("elsewhere"))).scope())
        .isEqualTo("oci: \"\"");
  }

  @Test
  void aLayoutUnderAMissingDirectoryIsAnErrorNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("no/such/os.tar");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PolicyIdentity.of(ImageReference.parse("oci-archive:" + missing)))
        .isInstanceOf(dev.bootj.common.BootjException.class)
        .hasMessage("cannot resolve " + missing + " to choose its signature policy scope: "
            + dir.resolve("no/such") + " does not exist");
  }

  @Test
  void relativeLayoutPathsAreMadeAbsolute() throws Exception {
    PolicyIdentity identity = PolicyIdentity.of(ImageReference.parse("oci:some-missing-dir:tag"));
    assertThat(identity.identity())
        .isEqualTo(Path.of("").toAbsolutePath().toRealPath().resolve("some-missing-dir").toString());
  }

  @Test
  void transportsAreKeptApart() throws Exception {
    Policy p = PolicyParser.parse("""
        {"default": [{"type": "reject"}],
         "transports": {"oci": {"/srv/os": [{"type": "insecureAcceptAnything"}]}}}""", "policy.json");
    assertThat(p.requirementsFor(ImageReference.parse("oci-archive:/srv/os")).scope()).isEqualTo("default");
    assertThat(p.requirementsFor(ImageReference.parse("oci:/srv/os")).scope()).isEqualTo("oci: /srv/os");
    assertThat(p.transports()).doesNotContainKey("docker");
    assertThat(Map.copyOf(p.transports())).hasSize(1);
    assertThat(List.copyOf(p.defaultRequirements())).hasSize(1);
  }
}
