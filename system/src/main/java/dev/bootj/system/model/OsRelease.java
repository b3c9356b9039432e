package dev.bootj.system.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The image's os-release (/etc/os-release, else /usr/lib/os-release), parsed per os-release(5). */
public record OsRelease(Map<String, String> fields) {

  public static OsRelease parse(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      int equals = line.indexOf('=');
      if (line.isEmpty() || line.startsWith("#") || equals < 1) {
        continue;
      }
      fields.put(line.substring(0, equals), unquote(line.substring(equals + 1)));
    }
    return new OsRelease(Map.copyOf(fields));
  }

  /** PRETTY_NAME, else NAME, else "Linux" (os-release(5)'s own default). */
  public String prettyName() {
    return fields.getOrDefault("PRETTY_NAME", fields.getOrDefault("NAME", "Linux"));
  }

  // Shell-style quoting, as far as os-release files use it: one pair of quotes and backslash escapes.
  private static String unquote(String value) {
    if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      value = value.substring(1, value.length() - 1);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        c = value.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
