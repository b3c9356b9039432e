package dev.bootj.oci.trust.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistriesDTest {

  private static final URI BUILT_IN = URI.create("file:///builtin");
  private static final String DIGEST = "sha256:" + "cd".repeat(32);

  private static RegistriesD config(String... fileThenText) throws BootjException {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < fileThenText.length; i += 2) {
      files.put(fileThenText[i], fileThenText[i + 1]);
    }
    return RegistriesD.ofTexts(files, BUILT_IN);
  }

  private static RegistryReference image(String text) {
    return (RegistryReference) ImageReference.parse(text.replace("DIGEST", DIGEST));
  }

  /** The man page's first example: consuming images from several origins. */
  @Nested
  class VariousOrigins {

    private final String yaml = """
        docker:
            registry.database-supplier.com:
                lookaside: https://lookaside.database-supplier.com
            distribution.great-middleware.org:
                lookaside: https://security-team.great-middleware.org/lookaside
            docker.io/web-framework:
                lookaside: https://lookaside.web-framework.io:8080
        """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        registry.database-supplier.com/db/server:1       | https://lookaside.database-supplier.com
        registry.database-supplier.com/db                | https://lookaside.database-supplier.com
        distribution.great-middleware.org/mw:2           | https://security-team.great-middleware.org/lookaside
        docker.io/web-framework/app:3                    | https://lookaside.web-framework.io:8080
        web-framework/app                                | https://lookaside.web-framework.io:8080
        docker.io/web-frameworks/app                     | file:///builtin
        busybox                                          | file:///builtin
        registry.database-supplier.com:5000/db/server    | file:///builtin
        sub.registry.database-supplier.com/db            | file:///builtin
        """)
    void readsTheLookasideOfTheMatchingScope(String reference, String lookaside) throws Exception {
      assertThat(config("origins.yaml", yaml).storageFor(image(reference)).lookaside()).isEqualTo(URI.create(lookaside));
    }

    @Test
    void namesWhereTheLookasideCameFrom() throws Exception {
      assertThat(config("origins.yaml", yaml).storageFor(image("web-framework/app")).lookasideOrigin())
          .isEqualTo("docker scope \"docker.io/web-framework\" in origins.yaml");
      assertThat(config("origins.yaml", yaml).storageFor(image("busybox")).lookasideOrigin())
          .isEqualTo("the built-in default");
    }

    @Test
    void attachmentsAreOffUnlessConfigured() throws Exception {
      assertThat(config("origins.yaml", yaml).storageFor(image("registry.database-supplier.com/db")).useSigstoreAttachments()).isFalse();
    }
  }

  /** The man page's second example: a department with staging, and one branch of one developer. */
  @Nested
  class StagingSignatures {

    private final String yaml = """
        docker:
            registry.example.com:
                lookaside: https://registry-lookaside.example.com
            registry.example.com/mydepartment:
                lookaside: https://lookaside.mydepartment.example.com
                lookaside-staging: file:///mnt/mydepartment/lookaside-staging
            registry.example.com/mydepartment/myproject:mybranch:
                lookaside: http://localhost:4242/lookaside
                lookaside-staging: file:///home/useraccount/webroot/lookaside
        """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        registry.example.com/other/app:1               | https://registry-lookaside.example.com     | https://registry-lookaside.example.com
        registry.example.com/mydepartment/app:1        | https://lookaside.mydepartment.example.com | file:///mnt/mydepartment/lookaside-staging
        registry.example.com/mydepartment/myproject:2  | https://lookaside.mydepartment.example.com | file:///mnt/mydepartment/lookaside-staging
        registry.example.com/mydepartment/myproject:mybranch | http://localhost:4242/lookaside      | file:///home/useraccount/webroot/lookaside
        registry.example.com/mydepartment/myproject    | https://lookaside.mydepartment.example.com | file:///mnt/mydepartment/lookaside-staging
        """)
    void readsAndWritesPerScope(String reference, String read, String write) throws Exception {
      SignatureStorage storage = config("dev.yaml", yaml).storageFor(image(reference));

      assertThat(storage.lookaside()).isEqualTo(URI.create(read));
      assertThat(storage.lookasideForWriting()).isEqualTo(URI.create(write));
    }
  }

  /** The man page's third example: a global default used only for staging. */
  @Test
  void aDefaultWithOnlyStagingLeavesReadingToTheBuiltInDefault() throws Exception {
    RegistriesD config = config("default.yaml", """
        default-docker:
            lookaside-staging: file:///mnt/company/common-lookaside-staging
        """);

    SignatureStorage storage = config.storageFor(image("quay.io/any/image:1"));

    assertThat(storage.lookaside()).isEqualTo(BUILT_IN);
    assertThat(storage.lookasideForWriting()).isEqualTo(URI.create("file:///mnt/company/common-lookaside-staging"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      registry.example/team/os:1            | file:///image-tag
      registry.example/team/os@DIGEST       | file:///image-digest
      registry.example/team/os:1@DIGEST     | file:///image-digest
      registry.example/team/os:2            | file:///repository
      registry.example/team/other           | file:///namespace
      registry.example/os                   | file:///host
      registry.example:5000/os              | file:///host-port
      a.corp.example.com/os                 | file:///wildcard-corp
      corp.example.com/os                   | file:///wildcard
      example.com/os                        | file:///default
      localhost:5000/os                     | file:///default
      """)
  void theMostSpecificScopeWins(String reference, String lookaside) throws Exception {
    RegistriesD config = config("scopes.yaml", """
        default-docker:
          lookaside: file:///default
        docker:
          registry.example/team/os:1:
            lookaside: file:///image-tag
          "registry.example/team/os@%s":
            lookaside: file:///image-digest
          registry.example/team/os:
            lookaside: file:///repository
          registry.example/team:
            lookaside: file:///namespace
          registry.example:
            lookaside: file:///host
          registry.example:5000:
            lookaside: file:///host-port
          "*.corp.example.com":
            lookaside: file:///wildcard-corp
          "*.example.com":
            lookaside: file:///wildcard
        """.formatted(DIGEST));

    assertThat(config.storageFor(image(reference)).lookaside()).isEqualTo(URI.create(lookaside));
  }

  @Test
  void eachSettingFallsThroughToTheNextScopeThatSetsIt() throws Exception {
    // containers/image resolves lookaside and use-sigstore-attachments each on its own.
    RegistriesD config = config("a.yaml", """
        default-docker:
          use-sigstore-attachments: true
          lookaside: file:///default
        docker:
          registry.example/os:
            use-sigstore-attachments: false
          registry.example:
            lookaside: https://sigs.example/host
          other.example/os:
            lookaside: file:///other
        """);

    SignatureStorage os = config.storageFor(image("registry.example/os:1"));
    assertThat(os.lookaside()).isEqualTo(URI.create("https://sigs.example/host"));
    assertThat(os.useSigstoreAttachments()).isFalse();

    SignatureStorage other = config.storageFor(image("other.example/os:1"));
    assertThat(other.lookaside()).isEqualTo(URI.create("file:///other"));
    assertThat(other.useSigstoreAttachments()).isTrue();
  }

  @Test
  void anEmptySectionCountsAsUnset() throws Exception {
    RegistriesD config = config("a.yaml", """
        default-docker:
          lookaside: file:///default
        docker:
          registry.example/os:
          registry.example/app: {}
        """);

    assertThat(config.storageFor(image("registry.example/os")).lookaside()).isEqualTo(URI.create("file:///default"));
    assertThat(config.storageFor(image("registry.example/app")).lookaside()).isEqualTo(URI.create("file:///default"));
  }

  @Test
  void theOldNamesSigstoreAndSigstoreStagingStillWork() throws Exception {
    RegistriesD config = config("old.yaml", """
        docker:
          registry.example/old:
            sigstore: https://sigs.example/old
            sigstore-staging: file:///staging/old
          registry.example/both:
            sigstore: https://sigs.example/ignored
            lookaside: https://sigs.example/new
            sigstore-staging: file:///staging/ignored
            lookaside-staging: file:///staging/new
        """);

    SignatureStorage old = config.storageFor(image("registry.example/old"));
    assertThat(old.lookaside()).isEqualTo(URI.create("https://sigs.example/old"));
    assertThat(old.lookasideForWriting()).isEqualTo(URI.create("file:///staging/old"));
    SignatureStorage both = config.storageFor(image("registry.example/both"));
    assertThat(both.lookaside()).isEqualTo(URI.create("https://sigs.example/new"));
    assertThat(both.lookasideForWriting()).isEqualTo(URI.create("file:///staging/new"));
  }

  @Test
  void writingWithoutStagingUsesTheLookaside() throws Exception {
    RegistriesD config = config("a.yaml", "docker:\n  registry.example:\n    lookaside: file:///sigs\n");

    assertThat(config.storageFor(image("registry.example/os")).lookasideForWriting()).isEqualTo(URI.create("file:///sigs"));
  }

  @Test
  void scopesAreMergedAcrossFiles() throws Exception {
    RegistriesD config = config(
        "a.yaml", "docker:\n  registry.example/a:\n    lookaside: file:///a\n",
        "b.yaml", "docker:\n  registry.example/b:\n    lookaside: file:///b\ndefault-docker:\n  use-sigstore-attachments: true\n");

    assertThat(config.storageFor(image("registry.example/a")).lookaside()).isEqualTo(URI.create("file:///a"));
    assertThat(config.storageFor(image("registry.example/b")).lookaside()).isEqualTo(URI.create("file:///b"));
    assertThat(config.storageFor(image("registry.example/a")).useSigstoreAttachments()).isTrue();
  }

  @Test
  void yamlBooleanSpellingsAreAccepted() throws Exception {
    // containers/image's YAML library accepts YAML 1.1's yes/no/on/off for boolean fields.
    RegistriesD config = config("a.yaml", """
        docker:
          a.example: {use-sigstore-attachments: yes}
          b.example: {use-sigstore-attachments: off}
          c.example: {use-sigstore-attachments: On}
        """);

    assertThat(config.storageFor(image("a.example/os")).useSigstoreAttachments()).isTrue();
    assertThat(config.storageFor(image("b.example/os")).useSigstoreAttachments()).isFalse();
    assertThat(config.storageFor(image("c.example/os")).useSigstoreAttachments()).isTrue();
  }

  @Test
  void unknownKeysAreIgnoredAsContainersImageIgnoresThem() throws Exception {
    RegistriesD config = config("a.yaml", """
        future-top-level: 1
        docker:
          registry.example:
            lookaside: file:///sigs
            some-future-key: [1, 2]
        """);

    assertThat(config.storageFor(image("registry.example/os")).lookaside()).isEqualTo(URI.create("file:///sigs"));
  }

  @Test
  void emptyAndNullDocumentsConfigureNothing() throws Exception {
    RegistriesD config = config("empty.yaml", "", "comments.yaml", "# nothing\n", "nulls.yaml", "docker:\ndefault-docker:\n",
        "later.yaml", "default-docker:\n  lookaside: file:///later\n");

    assertThat(config.storageFor(image("registry.example/os")).lookaside()).isEqualTo(URI.create("file:///later"));
  }

  @Test
  void anEmptyUrlIsNoUrl() throws Exception {
    RegistriesD config = config("a.yaml", "default-docker:\n  lookaside: file:///d\ndocker:\n  registry.example:\n    lookaside: ''\n");

    assertThat(config.storageFor(image("registry.example/os")).lookaside()).isEqualTo(URI.create("file:///d"));
  }

  @Test
  void anAliasIsItsValue() throws Exception {
    RegistriesD config = config("a.yaml", "docker:\n  a.example: &s\n    lookaside: file:///shared\n  b.example: *s\n");

    assertThat(config.storageFor(image("b.example/os")).lookaside()).isEqualTo(URI.create("file:///shared"));
  }

  @Nested
  class Refusals {

    @Test
    void theSameScopeInTwoFilesNamesBoth() {
      assertThatThrownBy(() -> config(
          "10-a.yaml", "docker:\n  registry.example/os:\n    lookaside: file:///a\n",
          "20-b.yaml", "docker:\n  registry.example/os:\n    use-sigstore-attachments: true\n"))
          .isInstanceOf(BootjException.class)
          .hasMessage("registries.d: the docker scope \"registry.example/os\" is defined both in 10-a.yaml and in 20-b.yaml; keep one of them");
    }

    @Test
    void defaultDockerInTwoFilesNamesBoth() {
      assertThatThrownBy(() -> config(
          "a.yaml", "default-docker:\n  lookaside: file:///a\n",
          "b.yaml", "default-docker: {}\n"))
          .hasMessage("registries.d: default-docker is defined both in a.yaml and in b.yaml; keep one of them");
    }

    @Test
    void aKeyTwiceInOneFile() {
      assertThatThrownBy(() -> config("a.yaml", "docker:\n  registry.example:\n    lookaside: file:///a\n    lookaside: file:///b\n"))
          .hasMessageStartingWith("a.yaml: it is not valid YAML at line 4: found duplicate key lookaside;");
    }

    @Test
    void malformedYamlNamesTheFileAndLine() {
      assertThatThrownBy(() -> config("broken.yaml", "docker:\n  registry.example: [file:///a\n"))
          .isInstanceOf(BootjException.class)
          .satisfies(e -> assertThat(((BootjException) e).kind()).isEqualTo(BootjException.Kind.SYSTEM))
          .hasMessageStartingWith("broken.yaml: it is not valid YAML at line 3")
          .hasMessageEndingWith("; fix it (see containers-registries.d(5))");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        docker: {registry.example: {lookaside: 5}}                          | a.yaml: docker."registry.example".lookaside: must be a URL string, not the integer 5
        docker: {registry.example: {lookaside: [file:///a]}}                | a.yaml: docker."registry.example".lookaside: must be a URL string, not a list
        docker: {registry.example: {sigstore-staging: {a: 1}}}              | a.yaml: docker."registry.example".sigstore-staging: must be a URL string, not a mapping
        docker: {registry.example: {use-sigstore-attachments: maybe}}       | a.yaml: docker."registry.example".use-sigstore-attachments: must be true or false, not the string 'maybe'
        docker: {registry.example: {use-sigstore-attachments: 1}}           | a.yaml: docker."registry.example".use-sigstore-attachments: must be true or false, not the integer 1
        default-docker: {use-sigstore-attachments: 'true'}                  | a.yaml: default-docker.use-sigstore-attachments: must be true or false, not the string 'true'
        docker: {registry.example: file:///a}                               | a.yaml: docker."registry.example": must be a mapping with lookaside, lookaside-staging and use-sigstore-attachments, not the string 'file:///a'
        default-docker: [a]                                                 | a.yaml: default-docker: must be a mapping with lookaside, lookaside-staging and use-sigstore-attachments, not a list
        docker: [registry.example]                                          | a.yaml: docker: must be a mapping from scopes (host[:port][/namespace...]) to sections, not a list
        docker: {5: {lookaside: file:///a}}                                 | a.yaml: docker: the scope 5 is not a string; write it in quotes
        [docker]                                                            | a.yaml: the file must be a YAML mapping with the keys default-docker and docker, not a list
        just text                                                           | a.yaml: the file must be a YAML mapping with the keys default-docker and docker, not the string 'just text'
        docker: {registry.example: {lookaside: /var/lib/sigs}}              | a.yaml: docker."registry.example".lookaside: '/var/lib/sigs' is not an absolute URL such as file:///var/lib/containers/sigstore or https://host/path
        docker: {registry.example: {lookaside: 'https://a b'}}              | a.yaml: docker."registry.example".lookaside: 'https://a b' is not a URL (Illegal character in authority)
        docker: {registry.example: {lookaside: 'mailto:x@example.com'}}     | a.yaml: docker."registry.example".lookaside: 'mailto:x@example.com' is not an absolute URL such as file:///var/lib/containers/sigstore or https://host/path
        """)
    void aWrongTypeNamesTheFileAndKey(String yaml, String message) {
      assertThatThrownBy(() -> config("a.yaml", yaml))
          .isInstanceOf(BootjException.class)
          .hasMessage(message + "; fix it (see containers-registries.d(5))");
    }

    @Test
    void severalDocumentsInOneFile() {
      assertThatThrownBy(() -> config("a.yaml", "docker: {}\n---\ndocker: {}\n"))
          .hasMessage("a.yaml: it holds more than one YAML document (---); containers/image reads only the first, so keep one;"
              + " fix it (see containers-registries.d(5))");
    }

    @Test
    void pythonTagsAreNotConstructed() {
      assertThatThrownBy(() -> config("a.yaml", "docker: !!python/object:os.system {}\n"))
          .hasMessageStartingWith("a.yaml: it is not valid YAML at line 1");
    }
  }

  @Nested
  class Directories {

    @Test
    void aMissingDirectoryIsNoConfiguration(@TempDir Path dir) throws Exception {
      RegistriesD config = RegistriesD.load(dir.resolve("absent"));

      SignatureStorage storage = config.storageFor(image("registry.example/os"));
      assertThat(storage.lookaside()).isEqualTo(RegistriesD.ROOT_DEFAULT_LOOKASIDE);
      assertThat(storage.lookaside()).hasToString("file:///var/lib/containers/sigstore");
      assertThat(storage.useSigstoreAttachments()).isFalse();
    }

    @Test
    void onlyYamlFilesAreRead(@TempDir Path dir) throws Exception {
      Files.writeString(dir.resolve("os.yaml"), "docker:\n  registry.example:\n    lookaside: file:///yaml\n");
      Files.writeString(dir.resolve("os.yml"), "not: [valid");
      Files.writeString(dir.resolve("os.yaml.rpmsave"), "not: [valid");
      Files.writeString(dir.resolve("README"), "not: [valid");

      RegistriesD config = RegistriesD.load(dir, BUILT_IN);

      assertThat(config.storageFor(image("registry.example/os")).lookaside()).isEqualTo(URI.create("file:///yaml"));
    }

    @Test
    void errorsNameTheFileByItsPath(@TempDir Path dir) throws Exception {
      Files.writeString(dir.resolve("a.yaml"), "docker:\n  registry.example:\n    lookaside: 1\n");

      assertThatThrownBy(() -> RegistriesD.load(dir))
          .hasMessageStartingWith(dir.resolve("a.yaml") + ": docker.\"registry.example\".lookaside: must be a URL string");
    }

    @Test
    void conflictsNameFilesInSortedOrder(@TempDir Path dir) throws Exception {
      Files.writeString(dir.resolve("b.yaml"), "default-docker: {}\n");
      Files.writeString(dir.resolve("a.yaml"), "default-docker: {}\n");

      assertThatThrownBy(() -> RegistriesD.load(dir))
          .hasMessage("registries.d: default-docker is defined both in " + dir.resolve("a.yaml") + " and in " + dir.resolve("b.yaml")
              + "; keep one of them");
    }

    @Test
    void aFileInsteadOfADirectory(@TempDir Path dir) throws Exception {
      Path file = Files.writeString(dir.resolve("registries.d"), "");

      assertThatThrownBy(() -> RegistriesD.load(file))
          .hasMessage("the registries.d directory " + file + " is not a directory; name a directory of *.yaml files with --registries.d");
    }

    @Test
    void textThatIsNotUtf8(@TempDir Path dir) throws Exception {
      Files.write(dir.resolve("a.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});

      assertThatThrownBy(() -> RegistriesD.load(dir)).hasMessageContaining("a.yaml: it is not UTF-8 text");
    }
  }

  @Test
  void theUserDefaultIsUnderTheHomeDirectory() {
    assertThat(RegistriesD.userDefaultLookaside(Path.of("/home/ann")))
        .hasToString("file:///home/ann/.local/share/containers/sigstore");
  }
}
