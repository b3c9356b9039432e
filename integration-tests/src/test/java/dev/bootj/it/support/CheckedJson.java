package dev.bootj.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.testing.JsonSchemaCheck;
import java.io.IOException;

/** bootj's --json output, parsed after an independent validator found it valid against its published schema. */
public final class CheckedJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckedJson() {}

  /**
   * @param schema the schema's name under docs/schemas ("host-v1", "update-v1", ...)
   */
  public static JsonNode parse(String schema, String json) throws IOException, InterruptedException {
    assertThat(JsonSchemaCheck.available())
        .as("python3-jsonschema validates --json output; scripts/test installs it").isTrue();
    assertThat(JsonSchemaCheck.errors(schema, json)).as("%s against docs/schemas/%s.schema.json", json, schema).isEmpty();
    return JSON.readTree(json);
  }

  /** The schema of each record kind bootj prints. */
  private static final java.util.Map<String, String> SCHEMAS = java.util.Map.ofEntries(
      java.util.Map.entry("BootjHost", "host-v1"), java.util.Map.entry("InstallResult", "install-v1"),
      java.util.Map.entry("UpdateResult", "update-v1"), java.util.Map.entry("UpgradeCheck", "upgrade-check-v1"),
      java.util.Map.entry("RollbackResult", "rollback-v1"), java.util.Map.entry("ResetResult", "reset-v1"), java.util.Map.entry("LintReport", "lint-v1"),
      java.util.Map.entry("PulledImage", "pull-v1"),
      java.util.Map.entry("UnpackedImage", "unpack-v1"), java.util.Map.entry("ImageInspection", "inspect-v1"),
      java.util.Map.entry("ImageList", "image-list-v1"), java.util.Map.entry("PruneResult", "prune-v1"),
      java.util.Map.entry("EtcChanges", "etc-changes-v1"), java.util.Map.entry("ImageDiff", "image-diff-v1"),
      java.util.Map.entry("AutoUpdateCycle", "auto-update-v1"), java.util.Map.entry("SignedImage", "sign-v1"),
      java.util.Map.entry("VerifiedImage", "verify-v1"), java.util.Map.entry("GeneratedKeyPair", "generate-key-v1"));

  /** Any record bootj prints, validated against the schema its {@code kind} names. */
  public static JsonNode parse(String json) throws IOException, InterruptedException {
    JsonNode kind = JSON.readTree(json).get("kind");
    assertThat(kind).as("a record with a kind: %s", json).isNotNull();
    assertThat(SCHEMAS).as("a published schema for kind %s", kind.asText()).containsKey(kind.asText());
    return parse(SCHEMAS.get(kind.asText()), json);
  }

  /** {@code bootj status --json}, validated, and its {@code status} part, where slots and boot order are. */
  public static JsonNode hostStatus(String json) throws IOException, InterruptedException {
    return parse("host-v1", json).get("status");
  }
}
