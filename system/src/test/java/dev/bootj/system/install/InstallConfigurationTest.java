package dev.bootj.system.install;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * install.d files read from an unpacked root: the merge order, the command line over the files,
 * and every refusal naming the file and the key. Python's tomllib (not bootj's parser) confirms
 * which fixtures are TOML and that what print-configuration prints reads back as the same values.
 */
class InstallConfigurationTest {

  private static final String DIR = InstallConfiguration.DIRECTORY;

  @TempDir Path root;

  private Path write(String name, String text) throws IOException {
    Path file = root.resolve(DIR.substring(1)).resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void anImageWithoutInstallDHasNoConfiguration() throws Exception {
    assertThat(InstallConfiguration.load(root)).isEqualTo(InstallConfiguration.NONE);
    assertThat(InstallConfiguration.validate(root)).isEmpty();
  }

  @Test
  void laterFilesWinKeyByKeyAndKargsAddUp() throws Exception {
    write("10-base.toml", "[install]\nfilesystem = \"ext4\"\nslot-size = \"2G\"\nkargs = [\"console=ttyS0\"]\n");
    write("20-derived.toml", "[install]\nfilesystem = \"xfs\"\nkargs = [\"quiet\"]\nesp-size = 268435456\n");
    write("README", "not a configuration file: ignored\n");

    InstallConfiguration config = InstallConfiguration.load(root);

    assertThat(config.filesystem()).isEqualTo(FilesystemType.XFS);
    assertThat(config.slotSizeBytes()).isEqualTo(2 * GIB);
    assertThat(config.espSizeBytes()).isEqualTo(256 * MIB);
    assertThat(config.kargs()).containsExactly("console=ttyS0", "quiet");
    assertThat(config.sources()).containsExactly(
        Map.entry("filesystem", List.of(DIR + "/20-derived.toml")),
        Map.entry("slot-size", List.of(DIR + "/10-base.toml")),
        Map.entry("esp-size", List.of(DIR + "/20-derived.toml")),
        Map.entry("kargs", List.of(DIR + "/10-base.toml", DIR + "/20-derived.toml")));
    assertThat(config.files()).containsExactly(DIR + "/10-base.toml", DIR + "/20-derived.toml");
    assertThat(InstallConfiguration.validate(root)).containsExactly(DIR + "/10-base.toml", DIR + "/20-derived.toml");
  }

  /** Lexical order, as bootc and systemd read drop-ins: "10-" sorts before "9-". */
  @Test
  void filesAreReadInLexicalNotNumericOrder() throws Exception {
    write("9-early.toml", "[install]\nfilesystem = \"xfs\"\n");
    write("10-late.toml", "[install]\nfilesystem = \"ext4\"\n");
    assertThat(InstallConfiguration.load(root).filesystem()).isEqualTo(FilesystemType.XFS);
  }

  @Test
  void theCommandLineWinsOverEveryFileAndItsKargsComeLast() throws Exception {
    write("10-image.toml", String.join("\n", "[install]", "filesystem = \"xfs\"", "slot-size = \"3G\"",
        "esp-size = \"1G\"", "kargs = [\"quiet\"]", "target-image = \"registry.example/os:stable\"",
        "enforce-container-sigpolicy = true", ""));
    InstallConfiguration commandLine = InstallConfiguration.commandLine(FilesystemType.EXT4, null, 64 * MIB,
        List.of("debug"), null, false);

    InstallConfiguration merged = InstallConfiguration.load(root).then(commandLine);

    assertThat(merged.filesystem()).isEqualTo(FilesystemType.EXT4);
    assertThat(merged.slotSizeBytes()).isEqualTo(3 * GIB);
    assertThat(merged.espSizeBytes()).isEqualTo(64 * MIB);
    assertThat(merged.kargs()).containsExactly("quiet", "debug");
    assertThat(merged.targetImage()).hasToString("registry.example/os:stable");
    assertThat(merged.enforcesContainerSigpolicy()).as("--no-enforce-container-sigpolicy wins").isFalse();
    assertThat(merged.sources().get("filesystem")).containsExactly(InstallConfiguration.COMMAND_LINE);
    assertThat(merged.sources().get("slot-size")).containsExactly(DIR + "/10-image.toml");
    assertThat(merged.sources().get("kargs")).containsExactly(DIR + "/10-image.toml", InstallConfiguration.COMMAND_LINE);
    assertThat(merged.sources().get("enforce-container-sigpolicy")).containsExactly(InstallConfiguration.COMMAND_LINE);
  }

  @Test
  void optionsNotGivenLeaveTheFilesValues() throws Exception {
    write("10-image.toml", "[install]\nfilesystem = \"xfs\"\nenforce-container-sigpolicy = true\n");
    InstallConfiguration merged = InstallConfiguration.load(root)
        .then(InstallConfiguration.commandLine(null, null, null, List.of(), null, null));
    assertThat(merged.filesystem()).isEqualTo(FilesystemType.XFS);
    assertThat(merged.enforcesContainerSigpolicy()).isTrue();
    assertThat(InstallConfiguration.NONE.filesystemOrDefault()).isEqualTo(FilesystemType.EXT4);
  }

  @Test
  void anEmptyFileOrOneWithoutInstallSetsNothing() throws Exception {
    write("10-empty.toml", "# nothing yet\n");
    write("20-empty-table.toml", "[install]\n");
    assertThat(InstallConfiguration.load(root).isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown key           | [install]~size = "8G"~                   | 'install.size' is not a key bootj knows
      unknown table         | [installer]~filesystem = "xfs"~          | 'installer' is not a table or key bootj knows
      key outside a table   | filesystem = "xfs"~                         | 'filesystem' is not a table or key bootj knows
      subtable of install   | [install.filesystem]~root = "xfs"~       | 'install.filesystem' must be "ext4" or "xfs"
      install not a table   | install = "xfs"~                            | 'install' must be a table
      bad filesystem        | [install]~filesystem = "btrfs"~           | 'install.filesystem' must be "ext4" or "xfs", not "btrfs"
      size not a size       | [install]~slot-size = "big"~              | 'install.slot-size' must be a size
      size of zero          | [install]~slot-size = 0~                  | 'install.slot-size' must be a size
      size a boolean        | [install]~slot-size = true~               | 'install.slot-size' must be a size
      esp too small         | [install]~esp-size = "32M"~               | 'install.esp-size' is 32 MiB, smaller than the smallest FAT32 ESP (34 MiB)
      kargs a string        | [install]~kargs = "quiet"~                | 'install.kargs' must be a list of strings
      karg a number         | [install]~kargs = [1]~                    | 'install.kargs' must hold kernel arguments
      karg empty            | [install]~kargs = [""]~                   | 'install.kargs' must hold kernel arguments
      karg with a newline   | [install]~kargs = ["a\\nb"]~             | 'install.kargs' must hold kernel arguments
      target in a layout    | [install]~target-image = "oci:/srv/os:1"~ | 'install.target-image' must name an image in a registry
      target not a ref      | [install]~target-image = "UPPER/Case"~    | 'install.target-image' is not an image reference
      target a number       | [install]~target-image = 1~               | 'install.target-image' must be an image reference
      enforce a string      | [install]~enforce-container-sigpolicy = "yes"~ | 'install.enforce-container-sigpolicy' must be true or false
      """)
  void everyBadValueIsRefusedNamingTheFileAndTheKey(String what, String toml, String message) throws Exception {
    String text = toml.replace("~", "\n");
    assertThat(tomllibAccepts(text)).as("%s is valid TOML for Python's tomllib", what).isNotEqualTo(Boolean.FALSE);
    write("50-bad.toml", text);
    assertThatThrownBy(() -> InstallConfiguration.load(root))
        .isInstanceOf(BootjException.class)
        .hasMessageStartingWith(DIR + "/50-bad.toml: ")
        .hasMessageContaining(message)
        .hasMessageEndingWith("; fix the file in the image")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.SYSTEM);
    assertThatThrownBy(() -> InstallConfiguration.validate(root)).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unclosed table     | [install~filesystem = "xfs"~
      unclosed string    | [install]~filesystem = "xfs~
      duplicated key     | [install]~filesystem = "xfs"~filesystem = "ext4"~
      duplicated table   | [install]~filesystem = "xfs"~[install]~slot-size = "3G"~
      """)
  void textThatIsNotTomlIsRefusedNamingTheFile(String what, String toml) throws Exception {
    String text = toml.replace("~", "\n");
    assertThat(tomllibAccepts(text)).as("%s is not TOML for Python's tomllib either", what).isNotEqualTo(Boolean.TRUE);
    write("50-bad.toml", text);
    assertThatThrownBy(() -> InstallConfiguration.load(root))
        .isInstanceOf(BootjException.class)
        .hasMessageStartingWith(DIR + "/50-bad.toml is not valid TOML: ");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws Exception {
    Files.write(write("50-latin1.toml", ""), "[install]\nkargs = [\"caf\u00e9\"]\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> InstallConfiguration.load(root))
        .hasMessage(DIR + "/50-latin1.toml is not UTF-8 text, as TOML must be; fix the file in the image");
  }

  @Test
  void symbolicLinksAreNotFollowed() throws Exception {
    Path real = write("real.conf", "[install]\nfilesystem = \"xfs\"\n");
    Files.createSymbolicLink(real.resolveSibling("10-link.toml"), real.getFileName());
    assertThatThrownBy(() -> InstallConfiguration.load(root))
        .hasMessageStartingWith(DIR + "/10-link.toml in the image is a symbolic link; bootj reads");

    Files.delete(real.resolveSibling("10-link.toml"));
    Files.createDirectories(real.resolveSibling("20-dir.toml"));
    assertThatThrownBy(() -> InstallConfiguration.load(root))
        .hasMessageStartingWith(DIR + "/20-dir.toml in the image is not a regular file");
  }

  @Test
  void aSymlinkedDirectoryOnTheWayIsRefused() throws Exception {
    Files.createDirectories(root.resolve("usr/share/bootj/install.d"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("usr/lib/bootj"), Path.of("../share/bootj"));
    assertThatThrownBy(() -> InstallConfiguration.load(root))
        .hasMessageStartingWith("/usr/lib/bootj in the image is a symbolic link");
  }

  @Test
  void aHugeFileIsRefusedUnread() throws Exception {
    write("10-huge.toml", "#".repeat((int) InstallConfiguration.MAX_FILE_BYTES + 1));
    assertThatThrownBy(() -> InstallConfiguration.load(root)).hasMessageContaining("10-huge.toml in the image is 1 MiB");
  }

  /** What print-configuration prints is an install.d file: Python reads it as the values bootj merged. */
  @Test
  void theMergedConfigurationPrintsAsTomlWithItsSources() throws Exception {
    write("10-a.toml", String.join("\n", "[install]", "filesystem = \"xfs\"", "slot-size = 3221225472",
        "esp-size = \"100M\"", "kargs = ['quote\"d', 'back\\slash']", "target-image = \"registry.example/os:stable\"",
        "enforce-container-sigpolicy = false", ""));
    InstallConfiguration config = InstallConfiguration.load(root);
    String toml = config.toToml();
    assertThat(toml).contains("filesystem = \"xfs\"    # " + DIR + "/10-a.toml\n")
        .contains("slot-size = \"3G\"").contains("esp-size = \"100M\"");

    JsonNode read = tomllib(toml);
    assumeTrue(read != null, "/usr/bin/python3 with tomllib is not installed");
    JsonNode install = read.get("install");
    assertThat(install.get("filesystem").asText()).isEqualTo("xfs");
    assertThat(install.get("kargs").get(0).asText()).isEqualTo("quote\"d");
    assertThat(install.get("kargs").get(1).asText()).isEqualTo("back\\slash");
    assertThat(install.get("target-image").asText()).isEqualTo("registry.example/os:stable");
    assertThat(install.get("enforce-container-sigpolicy").asBoolean()).isFalse();
    // And bootj reads its own output back to the same values.
    Files.writeString(root.resolve(DIR.substring(1)).resolve("10-a.toml"), toml);
    InstallConfiguration again = InstallConfiguration.load(root);
    assertThat(again.slotSizeBytes()).isEqualTo(3 * GIB);
    assertThat(again.espSizeBytes()).isEqualTo(100 * MIB);
    assertThat(again.kargs()).isEqualTo(config.kargs());
  }

  @Test
  void sizesPrintExactly() {
    assertThat(InstallConfiguration.formatSize(3 * GIB)).isEqualTo("3G");
    assertThat(InstallConfiguration.formatSize(1536 * MIB)).isEqualTo("1536M");
    assertThat(InstallConfiguration.formatSize(1000)).isEqualTo("1000");
  }

  @Test
  void aCommandLineTargetImageIsKeptAsGiven() {
    RegistryReference target = (RegistryReference) ImageReference.parse("registry.example/os:stable");
    InstallConfiguration cli = InstallConfiguration.commandLine(null, null, null, null, target, null);
    assertThat(InstallConfiguration.NONE.then(cli).targetImage()).isEqualTo(target);
    assertThat(cli.files()).isEmpty();
  }

  // --- Python's tomllib, an independent TOML reader: null when it is not there.

  private static Boolean tomllibAccepts(String text) throws Exception {
    return run("import sys, tomllib\ntry:\n  tomllib.loads(sys.stdin.read()); print('yes')\n"
        + "except tomllib.TOMLDecodeError: print('no')\n", text).map(out -> out.strip().equals("yes")).orElse(null);
  }

  private static JsonNode tomllib(String text) throws Exception {
    String json = run("import sys, json, tomllib\nprint(json.dumps(tomllib.loads(sys.stdin.read())))\n", text)
        .orElse(null);
    return json == null ? null : new ObjectMapper().readTree(json);
  }

  private static java.util.Optional<String> run(String script, String stdin) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    if (!Files.isExecutable(python)) {
      return java.util.Optional.empty();
    }
    Process p = new ProcessBuilder(python.toString(), "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(out);
  }
}
