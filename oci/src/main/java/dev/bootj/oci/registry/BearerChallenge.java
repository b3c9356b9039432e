package dev.bootj.oci.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate} header, as registries send it: {@code Bearer realm="…",service="…",scope="…"}
 * or {@code Basic realm="…"}.
 */
record BearerChallenge(String scheme, Map<String, String> parameters) {

  static Optional<BearerChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    String rest = space < 0 ? "" : trimmed.substring(space + 1);
    int i = 0;
    while (i < rest.length()) {
      int eq = rest.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = rest.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int valueStart = eq + 1;
      String value;
      if (valueStart < rest.length() && rest.charAt(valueStart) == '"') {
        StringBuilder v = new StringBuilder();
        int j = valueStart + 1;
        while (j < rest.length() && rest.charAt(j) != '"') {
          if (rest.charAt(j) == '\\' && j + 1 < rest.length()) {
            j++;
          }
          v.append(rest.charAt(j++));
        }
        value = v.toString();
        i = j + 1;
      } else {
        int comma = rest.indexOf(',', valueStart);
        value = (comma < 0 ? rest.substring(valueStart) : rest.substring(valueStart, comma)).trim();
        i = comma < 0 ? rest.length() : comma;
      }
      params.put(key, value);
      while (i < rest.length() && (rest.charAt(i) == ',' || rest.charAt(i) == ' ')) {
        i++;
      }
    }
    return Optional.of(new BearerChallenge(scheme, params));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }
}
