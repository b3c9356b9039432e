package dev.bootj.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.cli.Main;
import dev.bootj.common.testing.JsonSchemaCheck;
import dev.bootj.oci.trust.sigstore.CosignKeyFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateKeyCommandTest {

  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  /** Runs bootj with {@code environment} as the command's environment and no terminal. */
  private static Result run(Map<String, String> environment, String... args) {
    CommandLine cli = Main.newCommandLine();
    GenerateKeyCommand command = cli.getSubcommands().get("image").getSubcommands().get("generate-key").getCommand();
    command.passphrase.environment = environment::get;
    command.passphrase.console = () -> null;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpReadsLikeAManPage() {
    Result r = run(Map.of(), "image", "generate-key", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: bootj image generate-key", "Description:", "Options:", "Exit status:",
        "--output-prefix=PREFIX", "--passphrase-file=FILE", "ENCRYPTED SIGSTORE", "sigstoreSigned",
        "Environment:", "COSIGN_PASSWORD");
  }

  @Test
  void writesTheKeyPairWithThePassphraseFromAFileLessItsLineBreak() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("passphrase"), "from a file\n");
    Result r = run(Map.of("COSIGN_PASSWORD", "ignored"), "image", "generate-key", "--output-prefix",
        dir.resolve("release").toString(), "--passphrase-file", passphrase.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Private key written to " + dir.resolve("release.key") + "\n"
        + "Public key written to " + dir.resolve("release.pub") + "\n  sha256 ");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("release.key"))))
        .isEqualTo("rw-------");
    assertThat(CosignKeyFile.read(dir.resolve("release.key"), "from a file".getBytes(StandardCharsets.UTF_8))
        .getPrivate().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void takesThePassphraseFromCosignPasswordAndPrintsAVersionedRecord() throws Exception {
    Result r = run(Map.of("COSIGN_PASSWORD", "from the environment"), "image", "generate-key", "--output-prefix",
        dir.resolve("env").toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"kind\" : \"GeneratedKeyPair\"", "\"privateKey\" : \"" + dir.resolve("env.key"));
    assertThat(CosignKeyFile.read(dir.resolve("env.key"), "from the environment".getBytes(StandardCharsets.UTF_8)))
        .isNotNull();
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("generate-key-v1", r.out())).isEmpty();
  }

  @Test
  void withoutAPassphraseOrATerminalItIsAUsageError() {
    Result r = run(Map.of(), "image", "generate-key", "--output-prefix", dir.resolve("none").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("bootj: no passphrase: give --passphrase-file FILE or set COSIGN_PASSWORD")
        .contains("Try 'bootj image generate-key --help'");
    assertThat(dir.resolve("none.key")).doesNotExist();
  }

  @Test
  void anExistingKeyIsOneLineAndKeptAsItWas() throws Exception {
    Files.writeString(dir.resolve("cosign.key"), "precious");
    Result r = run(Map.of("COSIGN_PASSWORD", "x"), "image", "generate-key", "--output-prefix",
        dir.resolve("cosign").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("bootj: error: " + dir.resolve("cosign.key")
        + " already exists; bootj never overwrites a key: move it away or choose another name");
    assertThat(Files.readString(dir.resolve("cosign.key"))).isEqualTo("precious");
  }

  @Test
  void aMissingPassphraseFileIsNamed() {
    Result r = run(Map.of(), "image", "generate-key", "--output-prefix", dir.resolve("k").toString(),
        "--passphrase-file", dir.resolve("nothing").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo("bootj: error: passphrase file " + dir.resolve("nothing") + " does not exist");
  }
}
