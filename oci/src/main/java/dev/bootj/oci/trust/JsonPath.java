package dev.bootj.oci.trust;

import java.util.regex.Pattern;

/**
 * Where a value sits in policy.json, written the way jq users read it:
 * {@code transports.docker["registry.example/os"][0].keyType}.
 */
record JsonPath(String text) {

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  static final JsonPath ROOT = new JsonPath("");

  JsonPath field(String name) {
    if (PLAIN_NAME.matcher(name).matches()) {
      return new JsonPath(text.isEmpty() ? name : text + "." + name);
    }
    return new JsonPath(text + "[" + quote(name) + "]");
  }

  JsonPath index(int i) {
    return new JsonPath(text + "[" + i + "]");
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
