package dev.bootj.cli.image;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.cli.options.PassphraseOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.oci.trust.sigstore.CosignKeyPairGenerator;
import dev.bootj.oci.trust.sigstore.CosignKeyPairGenerator.GeneratedKeyPair;
import dev.bootj.system.status.HostStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bootj image generate-key}. */
@Command(
    name = "generate-key",
    mixinStandardHelpOptions = true,
    description = {
      "Create a key pair for signing images, in cosign's format.",
      "",
      "Writes PREFIX.key, a new ECDSA P-256 private key encrypted with a passphrase exactly as"
          + " 'cosign generate-key-pair' writes it (PEM 'ENCRYPTED SIGSTORE PRIVATE KEY': scrypt and NaCl"
          + " secretbox over PKCS#8), readable by its owner only; and PREFIX.pub, its public key (PEM"
          + " 'PUBLIC KEY'). cosign signs with PREFIX.key as with its own keys. To require signatures"
          + " made with it, name PREFIX.pub as the keyPath of a sigstoreSigned requirement in"
          + " containers-policy.json. Existing files are never overwritten.",
      "",
      "The passphrase comes from --passphrase-file, else from COSIGN_PASSWORD, else it is asked"
          + " twice on the terminal. Anyone with PREFIX.key and its passphrase can sign images your"
          + " machines will accept: keep both secret, and the passphrase strong."
    },
    footerHeading = "%nEnvironment:%n",
    footer = {"  COSIGN_PASSWORD   the passphrase when --passphrase-file is not given, as cosign reads it"})
final class GenerateKeyCommand implements Callable<Integer> {

  /** {@code image generate-key --json}; docs/schemas/generate-key-v1.schema.json. */
  @JsonPropertyOrder({"apiVersion", "kind", "privateKey", "publicKey", "publicKeySha256"})
  public record GeneratedKey(String apiVersion, String kind, String privateKey, String publicKey,
      String publicKeySha256) {

    static GeneratedKey of(GeneratedKeyPair pair) {
      return new GeneratedKey(HostStatus.API_VERSION, "GeneratedKeyPair",
          pair.privateKeyFile().toAbsolutePath().toString(), pair.publicKeyFile().toAbsolutePath().toString(),
          pair.publicKeySha256());
    }
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--output-prefix",
      paramLabel = "PREFIX",
      defaultValue = "cosign",
      description = "Write PREFIX.key and PREFIX.pub. Default: ${DEFAULT-VALUE}, in the current directory.")
  Path prefix;

  @Mixin public PassphraseOptions passphrase;

  @Option(names = "--json", description = "Print the result as one JSON object on stdout, for scripts.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    byte[] passphrase = this.passphrase.read(true, spec);
    GeneratedKeyPair pair;
    try {
      pair = new CosignKeyPairGenerator().generate(prefix, passphrase);
    } finally {
      Arrays.fill(passphrase, (byte) 0);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, GeneratedKey.of(pair));
    } else {
      out.printf("Private key written to %s%nPublic key written to %s%n  sha256 %s%n", pair.privateKeyFile(),
          pair.publicKeyFile(), pair.publicKeySha256());
      out.flush();
    }
    return 0;
  }
}
