package dev.bootj.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Credential;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {

  @TempDir Path home;

  private static String auth(String userPass) {
    return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  private static RegistryReference ref(String text) {
    return (RegistryReference) ImageReference.parse(text);
  }

  private Path write(String relative, String json) throws Exception {
    Path file = home.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, json.replace('\'', '"'));
    return file;
  }

  @Test
  void explicitCredsWin() throws Exception {
    write(".docker/config.json", "{'auths':{'registry.example':{'auth':'" + auth("file:pw") + "'}}}");
    RegistryCredentials creds = RegistryCredentials.fromEnvironment("cli:secret:with:colons", null, Map.of("HOME", home.toString()));
    assertThat(creds.lookup(ref("registry.example/os"))).contains(Credential.from("cli", "secret:with:colons"));
  }

  @Test
  void mostSpecificKeyWinsAndFirstExistingFileIsTheOnlyOneRead() throws Exception {
    Path podman = write("run/containers/auth.json", "{'auths':{"
        + "'registry.example':{'auth':'" + auth("host:pw") + "'},"
        + "'registry.example/team':{'auth':'" + auth("team:pw") + "'}}}");
    write(".docker/config.json", "{'auths':{'other.example':{'auth':'" + auth("docker:pw") + "'}}}");
    RegistryCredentials creds = RegistryCredentials.fromEnvironment(null, null,
        Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", podman.getParent().getParent().toString()));
    assertThat(creds.lookup(ref("registry.example/team/os:1"))).contains(Credential.from("team", "pw"));
    assertThat(creds.lookup(ref("registry.example/other/os:1"))).contains(Credential.from("host", "pw"));
    assertThat(creds.lookup(ref("other.example/os"))).isEmpty();
  }

  @Test
  void dockerConfigWithHubKey() throws Exception {
    write(".docker/config.json", "{'auths':{'https://index.docker.io/v1/':{'auth':'" + auth("hub:pw") + "'}}}");
    RegistryCredentials creds = RegistryCredentials.fromEnvironment(null, null, Map.of("HOME", home.toString()));
    assertThat(creds.lookup(ref("debian"))).contains(Credential.from("hub", "pw"));
  }

  @Test
  void registryAuthFileComesBeforeTheDefaults() throws Exception {
    Path file = write("elsewhere/auth.json", "{'auths':{'registry.example':{'auth':'" + auth("env:pw") + "'}}}");
    write(".docker/config.json", "{'auths':{'registry.example':{'auth':'" + auth("docker:pw") + "'}}}");
    RegistryCredentials creds = RegistryCredentials.fromEnvironment(null, null,
        Map.of("HOME", home.toString(), "REGISTRY_AUTH_FILE", file.toString()));
    assertThat(creds.lookup(ref("registry.example/os"))).contains(Credential.from("env", "pw"));
  }

  @Test
  void malformedEntryIsAClearError() throws Exception {
    write(".docker/config.json", "{'auths':{'registry.example':{'auth':'" + auth("nocolon") + "'}}}");
    RegistryCredentials creds = RegistryCredentials.fromEnvironment(null, null, Map.of("HOME", home.toString()));
    assertThatThrownBy(() -> creds.lookup(ref("registry.example/os"))).isInstanceOf(BootjException.class)
        .hasMessageContaining("not user:password");
  }

  @Test
  void loopbackRegistriesAreTheOnlyOnesAllowedPlainHttpByDefault() {
    assertThat(RegistrySource.isLoopback("localhost:5000")).isTrue();
    assertThat(RegistrySource.isLoopback("127.0.0.1:5000")).isTrue();
    assertThat(RegistrySource.isLoopback("127.1.2.3")).isTrue();
    assertThat(RegistrySource.isLoopback("[::1]:5000")).isTrue();
    assertThat(RegistrySource.isLoopback("10.0.2.2:5000")).isFalse();
    assertThat(RegistrySource.isLoopback("registry.example")).isFalse();
    assertThat(RegistrySource.isLoopback("localhost.evil.example")).isFalse();
  }
}
