package dev.bootj.oci.registry.conf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.RegistryReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code [[registry]]} tables of containers-registries.conf(5): where an image is really
 * pulled from (a {@code location} that replaces the matched prefix, and {@code [[registry.mirror]]}
 * entries tried first), which registries are {@code insecure} (plain HTTP, unverified TLS) and
 * which are {@code blocked}. An unattended machine has no command line: this file is how it is
 * configured, exactly as for podman and skopeo.
 *
 * <p>Read as containers/image reads it: the main file, then the drop-ins of {@code
 * registries.conf.d} in lexical order, where a later table with the same prefix replaces an
 * earlier one; the longest matching prefix wins. The other top-level keys ({@code aliases},
 * {@code unqualified-search-registries}, {@code short-name-mode}, ...) belong to short-name
 * resolution, which bootj does not do (references are always fully qualified), and are ignored.
 * Inside a registry table an unknown key is refused: a typo there would silently change where
 * images come from or whether TLS is checked.
 */
public final class RegistriesConf {

  public static final Path DEFAULT_FILE = Path.of("/etc/containers/registries.conf");
  public static final Path DEFAULT_DROP_INS = Path.of("/etc/containers/registries.conf.d");
  /** Replaces the main file, as for containers/image. */
  public static final String FILE_VARIABLE = "CONTAINERS_REGISTRIES_CONF";

  public static final RegistriesConf NONE = new RegistriesConf(List.of());

  private static final Set<String> REGISTRY_KEYS =
      Set.of("prefix", "location", "insecure", "blocked", "mirror-by-digest-only", "mirror");
  private static final Set<String> MIRROR_KEYS = Set.of("location", "insecure", "pull-from-mirror");
  /** Version 1 of the format: bootj refuses it rather than guess. */
  private static final Set<String> V1_TABLES = Set.of("registries");

  private final List<RegistryRule> rules;

  private RegistriesConf(List<RegistryRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The machine's configuration: {@code $CONTAINERS_REGISTRIES_CONF} or the defaults. */
  public static RegistriesConf loadDefault(Map<String, String> environment) throws BootjException {
    String file = environment.get(FILE_VARIABLE);
    return load(file == null || file.isEmpty() ? DEFAULT_FILE : Path.of(file), DEFAULT_DROP_INS);
  }

  /** Reads {@code file} and the {@code *.conf} drop-ins of {@code dropIns}; either may be missing. */
  public static RegistriesConf load(Path file, Path dropIns) throws BootjException {
    Map<String, RegistryRule> byPrefix = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      files.add(file);
    }
    if (Files.isDirectory(dropIns)) {
      try (Stream<Path> entries = Files.list(dropIns)) {
        entries.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted(Comparator.comparing(Path::toString))
            .forEach(files::add);
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, "cannot list " + dropIns + ": " + e.getMessage(), e);
      }
    }
    for (Path path : files) {
      String text;
      try {
        text = Files.readString(path, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, "cannot read " + path + ": " + e.getMessage(), e);
      }
      for (RegistryRule rule : parseRules(text, path.toString())) {
        byPrefix.remove(rule.prefix());
        byPrefix.put(rule.prefix(), rule);
      }
    }
    return new RegistriesConf(new ArrayList<>(byPrefix.values()));
  }

  /** One file's rules (for tests and for {@link #load}). */
  public static RegistriesConf parse(String text, String file) throws BootjException {
    return new RegistriesConf(parseRules(text, file));
  }

  /** The rule with the longest prefix matching {@code image}, if any. */
  public Optional<RegistryRule> ruleFor(RegistryReference image) {
    String name = image.registry() + "/" + image.repository();
    RegistryRule best = null;
    int bestLength = -1;
    for (RegistryRule rule : rules) {
      int length = rule.matchLength(image.registry(), name);
      if (length > bestLength) {
        best = rule;
        bestLength = length;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Where to pull {@code image} from, in the order to try: its mirrors that apply, then its
   * (possibly relocated) primary location. Refuses a blocked registry.
   */
  public List<PullEndpoint> endpointsFor(RegistryReference image) throws BootjException {
    Optional<RegistryRule> rule = ruleFor(image);
    if (rule.isEmpty()) {
      return List.of(new PullEndpoint(image, false, false));
    }
    RegistryRule r = rule.get();
    if (r.blocked()) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "pulling " + image + " is blocked by the registry"
          + " table with prefix \"" + r.prefix() + "\" in " + r.file() + "; remove `blocked = true` there to allow it");
    }
    List<PullEndpoint> endpoints = new ArrayList<>();
    for (Mirror mirror : r.mirrors()) {
      if (mirror.appliesTo(image, r.mirrorByDigestOnly())) {
        endpoints.add(new PullEndpoint(r.rewrite(image, mirror.location()), mirror.insecure(), true));
      }
    }
    endpoints.add(new PullEndpoint(r.rewrite(image, r.location()), r.insecure(), false));
    return List.copyOf(endpoints);
  }

  private static List<RegistryRule> parseRules(String text, String file) throws BootjException {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, file + " is not valid TOML: " + firstLine(e.getMessage()));
    }
    for (String v1 : V1_TABLES) {
      if (root.has(v1)) {
        throw new BootjException(BootjException.Kind.SYSTEM, file + " uses the version 1 format ([" + v1
            + ".search], [" + v1 + ".insecure], ...); bootj reads version 2: write [[registry]] tables"
            + " (containers-registries.conf(5))");
      }
    }
    JsonNode registries = root.get("registry");
    if (registries == null) {
      return List.of();
    }
    if (!registries.isArray()) {
      throw invalid(file, "registry", "must be an array of tables ([[registry]])");
    }
    List<RegistryRule> rules = new ArrayList<>();
    Set<String> prefixes = new java.util.HashSet<>();
    for (int i = 0; i < registries.size(); i++) {
      RegistryRule rule = parseRule(registries.get(i), file, "registry[" + i + "]");
      if (!prefixes.add(rule.prefix())) {
        throw invalid(file, "registry[" + i + "].prefix", "repeats the prefix \"" + rule.prefix()
            + "\" of an earlier [[registry]] table in the same file");
      }
      rules.add(rule);
    }
    return rules;
  }

  private static RegistryRule parseRule(JsonNode table, String file, String where) throws BootjException {
    if (!table.isObject()) {
      throw invalid(file, where, "must be a table");
    }
    checkKeys(table, REGISTRY_KEYS, file, where);
    String location = string(table, "location", file, where, "");
    String prefix = string(table, "prefix", file, where, location);
    if (prefix.isEmpty()) {
      throw invalid(file, where, "needs a location or a prefix");
    }
    boolean wildcard = prefix.startsWith("*.");
    if (wildcard && !location.isEmpty()) {
      throw invalid(file, where + ".location", "must be empty when the prefix is a wildcard (" + prefix + ")");
    }
    if (wildcard && prefix.indexOf('/') >= 0) {
      throw invalid(file, where + ".prefix", "a wildcard prefix names hosts only, not \"" + prefix + "\"");
    }
    List<Mirror> mirrors = new ArrayList<>();
    JsonNode mirrorList = table.get("mirror");
    if (mirrorList != null) {
      if (!mirrorList.isArray()) {
        throw invalid(file, where + ".mirror", "must be an array of tables ([[registry.mirror]])");
      }
      for (int m = 0; m < mirrorList.size(); m++) {
        mirrors.add(parseMirror(mirrorList.get(m), file, where + ".mirror[" + m + "]"));
      }
    }
    return new RegistryRule(prefix, location.isEmpty() ? null : location, bool(table, "insecure", file, where),
        bool(table, "blocked", file, where), bool(table, "mirror-by-digest-only", file, where), mirrors, file);
  }

  private static Mirror parseMirror(JsonNode table, String file, String where) throws BootjException {
    if (!table.isObject()) {
      throw invalid(file, where, "must be a table");
    }
    checkKeys(table, MIRROR_KEYS, file, where);
    String location = string(table, "location", file, where, "");
    if (location.isEmpty()) {
      throw invalid(file, where + ".location", "is required");
    }
    String pull = string(table, "pull-from-mirror", file, where, "all");
    Mirror.PullFrom pullFrom = switch (pull) {
      case "all", "" -> Mirror.PullFrom.ALL;
      case "digest-only" -> Mirror.PullFrom.DIGEST_ONLY;
      case "tag-only" -> Mirror.PullFrom.TAG_ONLY;
      default -> throw invalid(file, where + ".pull-from-mirror", "must be \"all\", \"digest-only\" or \"tag-only\", not \"" + pull + "\"");
    };
    return new Mirror(location, bool(table, "insecure", file, where), pullFrom);
  }

  private static void checkKeys(JsonNode table, Set<String> known, String file, String where) throws BootjException {
    for (Iterator<String> names = table.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw invalid(file, where + "." + name, "is not a key bootj knows here (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String string(JsonNode table, String key, String file, String where, String absent) throws BootjException {
    JsonNode value = table.get(key);
    if (value == null) {
      return absent;
    }
    if (!value.isTextual()) {
      throw invalid(file, where + "." + key, "must be a string");
    }
    return value.asText().strip();
  }

  private static boolean bool(JsonNode table, String key, String file, String where) throws BootjException {
    JsonNode value = table.get(key);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(file, where + "." + key, "must be true or false");
    }
    return value.asBoolean();
  }

  private static BootjException invalid(String file, String key, String problem) {
    return new BootjException(BootjException.Kind.SYSTEM, file + ": " + key + " " + problem);
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
  }
}
