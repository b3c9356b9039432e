package dev.bootj.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.cli.Main;
import dev.bootj.common.testing.JsonSchemaCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLintCommandTest {

  @TempDir Path root;

  record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void file(String imagePath, String content) throws Exception {
    Path file = root.resolve(imagePath.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A root that passes every check: what Containerfile.example's image holds, in miniature. */
  @BeforeEach
  void cleanImage() throws Exception {
    file("/boot/vmlinuz-6.1.0-40-amd64", "k");
    file("/boot/initrd.img-6.1.0-40-amd64", "i");
    file("/usr/lib/systemd/boot/efi/systemd-bootx64.efi", "MZ");
    file("/usr/lib/systemd/systemd-bless-boot", "");
    file("/usr/lib/systemd/system-generators/systemd-bless-boot-generator", "");
    file("/usr/bin/bootj", "#!/bin/sh\n");
    file("/usr/lib/bootj/bootj.jar", "PK");
    file("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "");
    Files.createSymbolicLink(root.resolve("usr/bin/java"), Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));
  }

  @Test
  void aCleanImageExitsZeroWithOnlyTheSummary() {
    Result r = run("container", "lint", "--rootfs", root.toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).isEqualTo("lint passed for " + root + ": 0 errors, 0 warnings from 13 checks\n");
  }

  @Test
  void errorsAreOneLineEachAndExitOne() throws Exception {
    file("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    Files.createDirectories(root.resolve("usr/etc"));
    Result r = run("container", "lint", "--rootfs", root.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out().lines()).hasSize(3);
    assertThat(r.out().lines().toList().get(0)).startsWith("error: usr-etc: the image has /usr/etc");
    assertThat(r.out().lines().toList().get(1)).startsWith("error: machine-id: /etc/machine-id holds 0123");
    assertThat(r.out().lines().toList().get(2))
        .isEqualTo("lint failed for " + root + ": 2 errors, 0 warnings from 13 checks");
  }

  @Test
  void warningsPassUnlessFatal() throws Exception {
    file("/var/lib/app/data", "x");
    Result lenient = run("container", "lint", "--rootfs", root.toString());
    assertThat(lenient.exitCode()).isZero();
    assertThat(lenient.out()).startsWith("warning: var-content: /var holds 1 files");
    Result strict = run("container", "lint", "--rootfs", root.toString(), "--fatal-warnings");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.out()).endsWith("1 warning from 13 checks; warnings are fatal (--fatal-warnings)\n");
    Result skipped = run("container", "lint", "--rootfs", root.toString(), "--fatal-warnings", "--skip", "var-content");
    assertThat(skipped.exitCode()).isZero();
    assertThat(skipped.out()).endsWith("0 warnings from 12 checks (skipped: var-content)\n");
  }

  @Test
  void anUnknownCheckIsAUsageError() {
    Result r = run("container", "lint", "--rootfs", root.toString(), "--skip", "kernal");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("bootj: no lint check is named 'kernal'; 'bootj container lint --list' shows them\n")
        .contains("Try 'bootj container lint --help'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void listShowsEachCheckWithItsSeverityAndLine() {
    Result r = run("container", "lint", "--list");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines()).hasSize(13);
    assertThat(r.out()).contains("kernel          error    exactly one kernel, with its initramfs")
        .contains("var-content     warning  nothing in /var");
  }

  @Test
  void aMissingRootfsIsOneLine() {
    Result r = run("container", "lint", "--rootfs", root.resolve("nothing").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("bootj: error: " + root.resolve("nothing") + " is not a directory");
  }

  @Test
  void theHelpReadsLikeAManPage() {
    Result r = run("container", "lint", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: bootj container lint", "Description:", "RUN bootj container lint",
        "--fatal-warnings", "--skip=NAME", "Exit status:", "Examples:");
  }

  @Test
  void jsonIsAVersionedRecordValidAgainstItsSchema() throws Exception {
    file("/tmp/left-over", "x");
    Files.createDirectories(root.resolve("usr/etc"));
    Result r = run("container", "lint", "--rootfs", root.toString(), "--json", "--skip", "fstab");
    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("kind").asText()).isEqualTo("LintReport");
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("errors").asInt()).isEqualTo(1);
    assertThat(json.get("warnings").asInt()).isEqualTo(1);
    assertThat(json.get("skipped").get(0).asText()).isEqualTo("fstab");
    assertThat(json.get("findings").get(1).get("severity").asText()).isEqualTo("warning");
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("lint-v1", r.out())).isEmpty();
  }

  @Test
  void theSchemaRefusesARecordThatBreaksIt() throws Exception {
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    String clean = run("container", "lint", "--rootfs", root.toString(), "--json").out();
    assertThat(JsonSchemaCheck.errors("lint-v1", clean)).isEmpty();
    String broken = clean.replace("\"findings\" : [ ]",
        "\"findings\" : [ {\"check\": \"kernel\", \"severity\": \"fatal\", \"message\": \"x\"} ]");
    assertThat(broken).isNotEqualTo(clean);
    assertThat(JsonSchemaCheck.errors("lint-v1", broken)).isNotEmpty();
  }
}
