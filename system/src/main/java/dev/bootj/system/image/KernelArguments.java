package dev.bootj.system.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kernel arguments an image asks for in {@code /usr/lib/bootj/kargs.d/*.toml}, read in file
 * name order. Each file is a tiny TOML document, as bootc's kargs.d files are:
 *
 * <pre>
 * kargs = ["console=ttyS0", "quiet"]
 * match-architectures = ["x86_64"]   # optional: the file applies only to these
 * </pre>
 *
 * Only string arrays are understood (basic "..." and literal '...' strings, over several lines,
 * with # comments); that is all this format uses, so no TOML library is pulled in for it.
 */
public final class KernelArguments {

  public static final String DIRECTORY = "/usr/lib/bootj/kargs.d";
  static final String ARCHITECTURE = "x86_64";

  private KernelArguments() {}

  public static List<String> fromImage(ImageRoot root) throws IOException {
    Optional<Path> dir = root.find(DIRECTORY);
    if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir.get())) {
      files = entries.filter(p -> p.getFileName().toString().endsWith(".toml")).sorted().toList();
    }
    List<String> kargs = new ArrayList<>();
    for (Path file : files) {
      try {
        kargs.addAll(parse(Files.readString(file)));
      } catch (IllegalArgumentException e) {
        throw new IOException(DIRECTORY + "/" + file.getFileName() + " in the image: " + e.getMessage());
      }
    }
    return kargs;
  }

  /** The kargs one file asks for on x86-64 (none if its match-architectures leaves x86_64 out). */
  static List<String> parse(String toml) {
    List<String> kargs = List.of();
    List<String> architectures = null;
    Reader reader = new Reader(toml);
    while (reader.skipBlankAndComments()) {
      String key = reader.key();
      reader.expect('=');
      List<String> values = reader.stringArray();
      if (key.equals("kargs")) {
        kargs = values;
      } else if (key.equals("match-architectures")) {
        architectures = values;
      }
    }
    if (architectures != null && !architectures.contains(ARCHITECTURE)) {
      return List.of();
    }
    return kargs;
  }

  // A cursor over the text; every method throws IllegalArgumentException with the line number.
  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    /** Skips whitespace, newlines and comments; false at the end of the text. */
    boolean skipBlankAndComments() {
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '#') {
          while (at < text.length() && text.charAt(at) != '\n') {
            at++;
          }
        } else if (Character.isWhitespace(c)) {
          at++;
        } else {
          return true;
        }
      }
      return false;
    }

    String key() {
      int start = at;
      while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "-_".indexOf(text.charAt(at)) >= 0)) {
        at++;
      }
      if (at == start) {
        throw error("expected a key such as kargs");
      }
      return text.substring(start, at);
    }

    void expect(char wanted) {
      skipBlankAndComments();
      if (at >= text.length() || text.charAt(at) != wanted) {
        throw error("expected '" + wanted + "'");
      }
      at++;
    }

    List<String> stringArray() {
      expect('[');
      List<String> values = new ArrayList<>();
      while (true) {
        skipBlankAndComments();
        if (at < text.length() && text.charAt(at) == ']') {
          at++;
          return values;
        }
        values.add(string());
        skipBlankAndComments();
        if (at < text.length() && text.charAt(at) == ',') {
          at++;
        } else if (at >= text.length() || text.charAt(at) != ']') {
          throw error("expected ',' or ']' in the array");
        }
      }
    }

    private String string() {
      if (at >= text.length() || (text.charAt(at) != '"' && text.charAt(at) != '\'')) {
        throw error("expected a quoted string");
      }
      char quote = text.charAt(at++);
      StringBuilder value = new StringBuilder();
      while (at < text.length() && text.charAt(at) != quote) {
        char c = text.charAt(at++);
        if (c == '\n') {
          throw error("unterminated string");
        }
        if (c == '\\' && quote == '"' && at < text.length()) {
          char escaped = text.charAt(at++);
          switch (escaped) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case '"', '\\' -> value.append(escaped);
            default -> throw error("unsupported escape \\" + escaped);
          }
        } else {
          value.append(c);
        }
      }
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      at++;
      return value.toString();
    }

    private IllegalArgumentException error(String what) {
      int line = 1;
      for (int i = 0; i < Math.min(at, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return new IllegalArgumentException("line " + line + ": " + what);
    }
  }
}
