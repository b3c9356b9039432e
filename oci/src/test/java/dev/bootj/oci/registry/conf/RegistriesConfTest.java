package dev.bootj.oci.registry.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfTest {

  private static RegistryReference ref(String text) {
    return (RegistryReference) ImageReference.parse(text);
  }

  private static List<String> endpoints(RegistriesConf conf, String image) throws BootjException {
    return conf.endpointsFor(ref(image)).stream()
        .map(e -> e.reference() + (e.insecure() ? " insecure" : "") + (e.mirror() ? " mirror" : ""))
        .toList();
  }

  @Test
  void withoutARuleAnImageIsPulledFromWhereItsNameSays() throws Exception {
    assertThat(endpoints(RegistriesConf.NONE, "registry.example/os:1")).containsExactly("registry.example/os:1");
  }

  @Test
  void mirrorsComeFirstInOrderThenThePrimary() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        location = "registry.example"
        [[registry.mirror]]
        location = "mirror-a.example"
        [[registry.mirror]]
        location = "mirror-b.example:5000/cache"
        insecure = true
        """, "test.conf");
    assertThat(endpoints(conf, "registry.example/team/os:1")).containsExactly(
        "mirror-a.example/team/os:1 mirror", "mirror-b.example:5000/cache/team/os:1 insecure mirror",
        "registry.example/team/os:1");
  }

  @Test
  void aPrefixIsReplacedByTheLocationKeepingTheRestOfTheName() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        prefix = "example.com/foo"
        location = "internal-registry-for-example.com/bar"
        """, "test.conf");
    // The man page's own example.
    assertThat(endpoints(conf, "example.com/foo/image:latest")).containsExactly("internal-registry-for-example.com/bar/image:latest");
    assertThat(endpoints(conf, "example.com/foo:1")).containsExactly("internal-registry-for-example.com/bar:1");
    // Only at a path boundary.
    assertThat(endpoints(conf, "example.com/foobar/image:1")).containsExactly("example.com/foobar/image:1");
  }

  @Test
  void theLongestMatchingPrefixWins() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        location = "registry.example"
        insecure = true
        [[registry]]
        prefix = "registry.example/secure"
        location = "registry.example/secure"
        """, "test.conf");
    assertThat(endpoints(conf, "registry.example/secure/os:1")).containsExactly("registry.example/secure/os:1");
    assertThat(endpoints(conf, "registry.example/other/os:1")).containsExactly("registry.example/other/os:1 insecure");
  }

  @Test
  void aWildcardMatchesSubdomainsOnly() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        prefix = "*.example.com"
        blocked = true
        """, "test.conf");
    assertThatThrownBy(() -> conf.endpointsFor(ref("a.b.example.com/os:1")))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("blocked").hasMessageContaining("*.example.com").hasMessageContaining("test.conf");
    assertThat(endpoints(conf, "example.com/os:1")).containsExactly("example.com/os:1");
    assertThat(endpoints(conf, "notexample.com/os:1")).containsExactly("notexample.com/os:1");
  }

  @Test
  void blockedIsRefusedWithTheFileAndTheWayOut() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        location = "registry.example"
        blocked = true
        """, "/etc/containers/registries.conf");
    assertThatThrownBy(() -> conf.endpointsFor(ref("registry.example/os:1")))
        .isInstanceOf(BootjException.class)
        .hasMessage("pulling registry.example/os:1 is blocked by the registry table with prefix \"registry.example\""
            + " in /etc/containers/registries.conf; remove `blocked = true` there to allow it");
  }

  @Test
  void digestOnlyMirrorsServeDigestsAndTagOnlyMirrorsTags() throws Exception {
    String digest = "sha256:" + "a".repeat(64);
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        location = "registry.example"
        [[registry.mirror]]
        location = "digests.example"
        pull-from-mirror = "digest-only"
        [[registry.mirror]]
        location = "tags.example"
        pull-from-mirror = "tag-only"
        """, "test.conf");
    assertThat(endpoints(conf, "registry.example/os@" + digest))
        .containsExactly("digests.example/os@" + digest + " mirror", "registry.example/os@" + digest);
    assertThat(endpoints(conf, "registry.example/os:1")).containsExactly("tags.example/os:1 mirror", "registry.example/os:1");
  }

  @Test
  void mirrorByDigestOnlyKeepsTagsOnThePrimary() throws Exception {
    RegistriesConf conf = RegistriesConf.parse("""
        [[registry]]
        location = "registry.example"
        mirror-by-digest-only = true
        [[registry.mirror]]
        location = "mirror.example"
        """, "test.conf");
    assertThat(endpoints(conf, "registry.example/os:1")).containsExactly("registry.example/os:1");
  }

  @Test
  void shortNameTablesOfOtherToolsAreIgnored() throws Exception {
    // Debian's containers-common ships registries.conf.d/shortnames.conf with [aliases].
    RegistriesConf conf = RegistriesConf.parse("""
        unqualified-search-registries = ["docker.io"]
        short-name-mode = "enforcing"
        [aliases]
        "podman" = "quay.io/podman/stable"
        """, "shortnames.conf");
    assertThat(endpoints(conf, "quay.io/podman/stable:1")).containsExactly("quay.io/podman/stable:1");
  }

  @Test
  void mistakesNameTheFileAndTheKey() {
    assertThatThrownBy(() -> RegistriesConf.parse("[[registry]]\nlocation = \"r.example\"\nblockd = true\n", "f.conf"))
        .hasMessageStartingWith("f.conf: registry[0].blockd is not a key bootj knows here");
    assertThatThrownBy(() -> RegistriesConf.parse("[[registry]]\nlocation = \"r.example\"\ninsecure = \"yes\"\n", "f.conf"))
        .hasMessage("f.conf: registry[0].insecure must be true or false");
    assertThatThrownBy(() -> RegistriesConf.parse("[[registry]]\nlocation = \"r.example\"\n[[registry.mirror]]\ninsecure = true\n", "f.conf"))
        .hasMessage("f.conf: registry[0].mirror[0].location is required");
    assertThatThrownBy(() -> RegistriesConf.parse("[[registry]]\nlocation = \"r.example\"\n[[registry]]\nlocation = \"r.example\"\n", "f.conf"))
        .hasMessageContaining("repeats the prefix \"r.example\"");
    assertThatThrownBy(() -> RegistriesConf.parse("[[registry]\n", "f.conf")).hasMessageStartingWith("f.conf is not valid TOML");
    assertThatThrownBy(() -> RegistriesConf.parse("[registries.search]\nregistries = [\"docker.io\"]\n", "f.conf"))
        .hasMessageContaining("version 1 format");
    assertThatThrownBy(() -> RegistriesConf.parse("[[registry]]\nprefix = \"*.example.com\"\nlocation = \"x.example\"\n", "f.conf"))
        .hasMessageContaining("must be empty when the prefix is a wildcard");
  }

  @Test
  void dropInsLoadInLexicalOrderAndReplaceTablesWithTheSamePrefix(@TempDir Path dir) throws Exception {
    Path main = Files.writeString(dir.resolve("registries.conf"), """
        [[registry]]
        location = "registry.example"
        blocked = true
        [[registry]]
        location = "other.example"
        insecure = true
        """);
    Path dropIns = Files.createDirectories(dir.resolve("registries.conf.d"));
    Files.writeString(dropIns.resolve("20-unblock.conf"), "[[registry]]\nlocation = \"registry.example\"\n"
        + "[[registry.mirror]]\nlocation = \"late.example\"\n");
    Files.writeString(dropIns.resolve("10-first.conf"), "[[registry]]\nlocation = \"registry.example\"\nblocked = true\n");
    Files.writeString(dropIns.resolve("README"), "not a drop-in");
    RegistriesConf conf = RegistriesConf.load(main, dropIns);
    assertThat(endpoints(conf, "registry.example/os:1")).containsExactly("late.example/os:1 mirror", "registry.example/os:1");
    assertThat(endpoints(conf, "other.example/os:1")).containsExactly("other.example/os:1 insecure");
  }

  @Test
  void missingFilesMeanNoRules(@TempDir Path dir) throws Exception {
    RegistriesConf conf = RegistriesConf.load(dir.resolve("absent.conf"), dir.resolve("absent.d"));
    assertThat(endpoints(conf, "registry.example/os:1")).containsExactly("registry.example/os:1");
    assertThat(RegistriesConf.loadDefault(Map.of(RegistriesConf.FILE_VARIABLE, dir.resolve("absent.conf").toString())))
        .isNotNull();
  }
}
