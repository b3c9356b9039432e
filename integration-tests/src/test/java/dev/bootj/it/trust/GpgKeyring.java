package dev.bootj.it.trust;

import dev.bootj.it.support.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent simple-signing signer: keys made by Debian's {@code gpg} in a private
 * {@code GNUPGHOME}, and signatures written by {@code skopeo copy --sign-by} with them. bootj
 * never sees the secret keys, only the public keys {@code gpg --export} writes.
 */
final class GpgKeyring {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** One signing key: its OpenPGP fingerprint as gpg prints it, and its exported public key (binary). */
  record Key(String userId, String fingerprint, Path publicKey) {}

  private final Path home;

  private GpgKeyring(Path home) {
    this.home = home;
  }

  /** A new, empty GNUPGHOME under {@code dir} (mode 0700, as gpg insists). */
  static GpgKeyring create(Path dir) throws IOException {
    return new GpgKeyring(Files.createDirectory(dir.resolve("gnupg"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
  }

  /** Generates an Ed25519 signing key for {@code userId} and exports its public key next to the GNUPGHOME. */
  Key generate(String userId, String fileName) {
    gpg("--batch", "--passphrase", "", "--quick-gen-key", userId, "ed25519", "sign", "never");
    String colons = gpg("--with-colons", "--list-secret-keys", userId);
    String fingerprint = colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    Path exported = home.resolveSibling(fileName);
    gpg("--batch", "--yes", "--output", exported.toString(), "--export", fingerprint);
    return new Key(userId, fingerprint, exported);
  }

  /**
   * Signs {@code image} (a registry reference) in place with {@code key}: skopeo copies it onto
   * itself and writes the signature where {@code registriesD} says ({@code sigstore-staging}).
   */
  void signWithSkopeo(Key key, Path registriesD, String image) {
    HostCommand.run(TIMEOUT, List.of("env", "GNUPGHOME=" + home, "skopeo", "--insecure-policy", "copy", "--quiet",
        "--registries.d", registriesD.toString(), "--src-tls-verify=false", "--dest-tls-verify=false",
        "--sign-by", key.fingerprint(), "docker://" + image, "docker://" + image));
  }

  private String gpg(String... args) {
    List<String> command = new ArrayList<>(List.of("env", "GNUPGHOME=" + home, "gpg"));
    command.addAll(List.of(args));
    return HostCommand.run(TIMEOUT, command);
  }
}
