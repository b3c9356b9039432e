package dev.bootj.system.autoupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.testing.JsonSchemaCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootj auto-update --json}: cycles as the machine records them (written to and read back
 * from its auto-update.json) under a policy read from update.toml, printed as the report and
 * validated against docs/schemas/auto-update-v1.schema.json by an independent validator.
 */
class AutoUpdateReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST = "sha256:" + "22".repeat(32);

  @TempDir Path root;

  private UpdatePolicy policy(String toml) throws IOException {
    Path file = root.resolve(UpdatePolicy.MACHINE_SETTINGS.toString().substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, toml);
    return UpdatePolicy.load(root);
  }

  /** The cycle as the machine keeps it, so the report is made from what was read back. */
  private AutoUpdateRecord.Cycle recorded(AutoUpdateRecord.Cycle cycle) throws IOException {
    Path state = root.resolve("var");
    AutoUpdateRecord.NONE.withCycle(cycle).write(state);
    return AutoUpdateRecord.read(state).lastCycle();
  }

  private String report(AutoUpdateRecord.Cycle cycle, UpdatePolicy policy) throws IOException {
    return JSON.writeValueAsString(AutoUpdateReport.of(recorded(cycle), policy));
  }

  @Test
  void aCycleThatStagedAnUpdateOutsideTheWindow() throws Exception {
    String json = report(new AutoUpdateRecord.Cycle("2026-12-02T09:00:00Z", "2026-12-02T09:00:05Z", "apply",
        "staged", "staged registry.example/os:stable into slot B; it boots when the window opens",
        "registry.example/os:stable", DIGEST, "2026-12-05T02:00:00Z"),
        policy("mode = \"apply\"\nwindow = [\"Sat,Sun 02:00-05:00\", \"Wed 01:00-02:00\"]\n"));

    assertThat(json).startsWith("{\"apiVersion\":\"bootj.dev/v1\",\"kind\":\"AutoUpdateCycle\",\"mode\":\"apply\","
        + "\"window\":[\"Sat,Sun 02:00-05:00\",\"Wed 01:00-02:00\"],\"outcome\":\"staged\"");
    assertValid(json);
  }

  @Test
  void aCycleWithAutomaticUpdatesOffHasNoImageAndAnyTime() throws Exception {
    String json = report(new AutoUpdateRecord.Cycle("2026-12-02T09:00:00Z", "2026-12-02T09:00:00Z", "off",
        "skipped", "automatic updates are off (/etc/bootj/update.toml)", null, null, null), policy("mode = \"off\"\n"));

    assertThat(JSON.readTree(json).get("window")).isEmpty();
    assertThat(JSON.readTree(json).get("image").isNull()).isTrue();
    assertValid(json);
  }

  @Test
  void aCycleThatFailed() throws Exception {
    assertValid(report(new AutoUpdateRecord.Cycle("2026-12-02T09:00:00Z", "2026-12-02T09:01:00Z", "check", "error",
        "cannot reach registry registry.example: connection refused", "registry.example/os:stable", null, null),
        policy("mode = \"check\"\n")));
  }

  @Test
  void theSchemaRefusesAnOutcomeItDoesNotList() throws Exception {
    // The validator bites: a report the schema does not describe is reported, so the passes above mean something.
    String json = report(new AutoUpdateRecord.Cycle("2026-12-02T09:00:00Z", "2026-12-02T09:00:01Z", "check",
        "exploded", "?", null, null, null), policy("mode = \"check\"\n"));
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("auto-update-v1", json)).contains("exploded");
  }

  private static void assertValid(String json) throws Exception {
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("auto-update-v1", json)).isEmpty();
  }
}
