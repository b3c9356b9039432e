package dev.bootj.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Validates JSON against one of the schemas bootj publishes (docs/schemas), with Python's
 * jsonschema (Debian's python3-jsonschema): a validator that is not bootj's, so a test proves the
 * output matches what the schema promises, not what bootj believes it promises.
 */
public final class JsonSchemaCheck {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String VALIDATE = String.join("\n",
      "import json, sys, jsonschema",
      "schema = json.load(open(sys.argv[1]))",
      "jsonschema.Draft202012Validator.check_schema(schema)",
      "validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())",
      "errors = sorted(validator.iter_errors(json.load(sys.stdin)), key=lambda e: e.json_path)",
      "for e in errors: print(e.json_path + ': ' + e.message)",
      "sys.exit(1 if errors else 0)");

  private JsonSchemaCheck() {}

  /** Whether the validator can run here (Python 3 with jsonschema). */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import jsonschema").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The schema file {@code name} (e.g. "host-v1") under docs/schemas of the repository the tests run in. */
  public static Path schema(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs/schemas/" + name + ".schema.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no docs/schemas/" + name + ".schema.json above " + Path.of("").toAbsolutePath());
  }

  /** The validation errors of {@code json} against schema {@code name}, one per line; empty when valid. */
  public static String errors(String name, String json) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", VALIDATE, schema(name).toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("the schema validator did not finish");
    }
    if (p.exitValue() != 0 && output.isBlank()) {
      throw new IOException("the schema validator failed with exit " + p.exitValue());
    }
    return p.exitValue() == 0 ? "" : output.strip();
  }
}
