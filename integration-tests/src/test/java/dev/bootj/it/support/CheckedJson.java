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

  /** {@code bootj status --json}, validated, and its {@code status} part, where slots and boot order are. */
  public static JsonNode hostStatus(String json) throws IOException, InterruptedException {
    return parse("host-v1", json).get("status");
  }
}
