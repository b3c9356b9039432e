package dev.bootj.cli.image;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.cli.output.Json;
import dev.bootj.common.BootjException;
import dev.bootj.oci.trust.sigstore.CosignKeyPairGenerator;
import dev.bootj.oci.trust.sigstore.CosignKeyPairGenerator.GeneratedKeyPair;
import dev.bootj.system.status.HostStatus;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the passphrase from FILE: its whole content, less one final line break.")
  Path passphraseFile;

  @Option(names = "--json", description = "Print the result as one JSON object on stdout, for scripts.")
  boolean json;

  /** The environment; tests replace it. */
  Function<String, String> environment = System::getenv;
  /** The terminal to ask on, or null; tests replace it. */
  Supplier<Console> console = System::console;

  @Override
  public Integer call() throws Exception {
    byte[] passphrase = passphrase();
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

  private byte[] passphrase() throws BootjException {
    if (passphraseFile != null) {
      return fromFile(passphraseFile);
    }
    String fromEnvironment = environment.apply("COSIGN_PASSWORD");
    if (fromEnvironment != null) {
      return fromEnvironment.getBytes(StandardCharsets.UTF_8);
    }
    Console terminal = console.get();
    if (terminal == null) {
      throw new ParameterException(spec.commandLine(),
          "no passphrase: give --passphrase-file FILE or set COSIGN_PASSWORD (there is no terminal to ask on)");
    }
    char[] first = terminal.readPassword("Enter passphrase for the private key: ");
    char[] second = terminal.readPassword("Enter the passphrase again: ");
    try {
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new BootjException(BootjException.Kind.SYSTEM, "the passphrases differ; nothing was written");
      }
      ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(first));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } finally {
      if (first != null) {
        Arrays.fill(first, '\0');
      }
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  /** The file's bytes less one final "\n" or "\r\n", which editors and {@code echo} add. */
  private static byte[] fromFile(Path file) throws BootjException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "passphrase file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read passphrase file " + file + ": "
          + e.getMessage(), e);
    }
    int length = content.length;
    if (length > 0 && content[length - 1] == '\n') {
      length--;
      if (length > 0 && content[length - 1] == '\r') {
        length--;
      }
    }
    byte[] passphrase = Arrays.copyOf(content, length);
    Arrays.fill(content, (byte) 0);
    return passphrase;
  }
}
