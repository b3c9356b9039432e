package dev.bootj.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the bootj command line in-process, as a user would type it, against one store. */
public final class Bootj {

  /** What a run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path store;

  public Bootj(Path store) {
    this.store = store;
  }

  public Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--store", store.toString()));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        all.toArray(String[]::new));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * {@code status --disk DISK --json}, which must succeed: the {@code status} part of the record
   * (slots, boot order), validated against its published schema.
   */
  public JsonNode diskStatus(Path disk) throws IOException, InterruptedException {
    Result status = run("status", "--disk", disk.toString(), "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    return CheckedJson.hostStatus(status.out());
  }
}
