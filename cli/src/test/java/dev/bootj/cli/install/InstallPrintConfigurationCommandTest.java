package dev.bootj.cli.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.cli.ExitCodes;
import dev.bootj.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install commands' manuals and usage errors; the output of print-configuration on a real
 * image is checked by InstallConfigurationIT (integration-tests), its record by the system module.
 */
class InstallPrintConfigurationCommandTest {

  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printConfigurationHasAManPage() {
    Result r = run("install", "print-configuration", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: bootj install print-configuration", "Description:", "Options:",
        "Exit status:", "Examples:", "--image=IMAGE", "--json", "--signature-policy=FILE", "/usr/lib/bootj/install",
        "esp-size", "enforce-container-sigpolicy");
    assertThat(run("install", "--help").out()).contains("print-configuration", "to-disk");
  }

  @Test
  void toDiskDocumentsTheImagesDefaultsAndTheNewOptions() {
    Result r = run("install", "to-disk", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("--esp-size=SIZE", "--[no-]enforce-container-sigpolicy", "install.d", "Examples:");
  }

  @Test
  void printConfigurationNeedsAnImage() {
    Result r = run("--store", dir.toString(), "install", "print-configuration");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required option: '--image=IMAGE'");
  }

  @Test
  void anUnreadableLayoutIsAnImageAccessError() {
    Result r = run("--store", dir.toString(), "install", "print-configuration", "--image", "oci:" + dir.resolve("none") + ":1");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.IMAGE_ACCESS);
    assertThat(r.err().strip()).startsWith("bootj: error: ").doesNotContain("\n");
  }
}
