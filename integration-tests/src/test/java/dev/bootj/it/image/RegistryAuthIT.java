package dev.bootj.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.it.support.TokenServer;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries that want credentials: basic auth (htpasswd) and bearer tokens from a token service. */
class RegistryAuthIT {

  @TempDir Path temp;

  private Path layout() throws Exception {
    TarBuilder tar = new TarBuilder();
    tar.dir("etc");
    tar.file("etc/motd", "authorised\n");
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(layout, "v1", OciLayoutWriter.TAR_GZIP, List.of(tar.build()));
    return layout;
  }

  private Bootj bootj() {
    return new Bootj(temp.resolve("store"));
  }

  @Test
  void basicAuthWithCredsOrAnAuthFile() throws Exception {
    String hash = OpenBSDBCrypt.generate("2b", "s3cret".toCharArray(), new byte[16], 6);
    try (TestRegistry registry = new TestRegistry().withHtpasswd("alice:" + hash)) {
      registry.start();
      String image = registry.reference("bootj/private:1");
      Skopeo.copy("oci:" + layout() + ":v1", "docker://" + image, false, "alice:s3cret");

      Bootj.Result anonymous = bootj().run("image", "pull", image);
      assertThat(anonymous.exitCode()).as(anonymous.toString()).isEqualTo(3);
      assertThat(anonymous.err()).contains("refused access to bootj/private", "--creds");

      Bootj.Result wrong = bootj().run("image", "pull", "--creds", "alice:guess", image);
      assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(3);

      Bootj.Result creds = bootj().run("image", "unpack", "--creds", "alice:s3cret", image, temp.resolve("a").toString());
      assertThat(creds.exitCode()).as(creds.toString()).isZero();
      assertThat(temp.resolve("a/etc/motd")).hasContent("authorised\n");

      Path authFile = temp.resolve("auth.json");
      Files.writeString(authFile, "{\"auths\":{\"" + registry.hostAndPort() + "\":{\"auth\":\""
          + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
      Bootj.Result fromFile = bootj().run("image", "pull", "--authfile", authFile.toString(), image);
      assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
    }
  }

  @Test
  void anonymousBearerTokensAsPublicRegistriesUseThem() throws Exception {
    try (TokenServer tokens = new TokenServer(null, null);
        TestRegistry registry = new TestRegistry().withTokenAuth(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificatePem())) {
      registry.start();
      String image = registry.reference("bootj/public:1");
      Skopeo.copy("oci:" + layout() + ":v1", "docker://" + image);
      tokens.scopesRequested().clear();
      tokens.anonymousRequests().clear();

      Bootj.Result unpack = bootj().run("image", "unpack", image, temp.resolve("root").toString());
      assertThat(unpack.exitCode()).as(unpack.toString()).isZero();
      assertThat(temp.resolve("root/etc/motd")).hasContent("authorised\n");
      assertThat(tokens.anonymousRequests()).isNotEmpty().allMatch(scope -> scope.equals("repository:bootj/public:pull"));
    }
  }

  @Test
  void bearerTokensForAUserWithCredentials() throws Exception {
    try (TokenServer tokens = new TokenServer("bob", "hunter2");
        TestRegistry registry = new TestRegistry().withTokenAuth(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificatePem())) {
      registry.start();
      String image = registry.reference("bootj/team:1");
      Skopeo.copy("oci:" + layout() + ":v1", "docker://" + image, false, "bob:hunter2");

      Bootj.Result anonymous = bootj().run("image", "pull", image);
      assertThat(anonymous.exitCode()).as(anonymous.toString()).isEqualTo(3);
      assertThat(anonymous.err()).contains("refused access");

      tokens.scopesRequested().clear();
      tokens.anonymousRequests().clear();
      Bootj.Result withCreds = bootj().run("image", "pull", "--creds", "bob:hunter2", image);
      assertThat(withCreds.exitCode()).as(withCreds.toString()).isZero();
      assertThat(tokens.scopesRequested()).isNotEmpty();
      assertThat(tokens.anonymousRequests()).isEmpty();
    }
  }
}
