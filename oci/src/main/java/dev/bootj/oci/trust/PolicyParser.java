package dev.bootj.oci.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads containers-policy.json(5) as strictly as containers/image: an unknown, duplicated or
 * invalid field anywhere refuses the whole file, and so does a missing {@code default}, an empty
 * requirement list or an unknown requirement type. Every refusal names the file and the field's
 * JSON path. JSON {@code null} is never accepted in place of a value.
 */
public final class PolicyParser {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final String SEE_MAN_PAGE = "fix the policy file (see containers-policy.json(5))";
  // Go's encoding/json decodes []byte with standard, padded base64 and skips line breaks.
  private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  private final String file;

  private PolicyParser(String file) {
    this.file = file;
  }

  /**
   * Reads and parses the policy at {@code path}.
   *
   * @throws PolicyFormatException when the file is missing, unreadable or invalid
   */
  public static Policy parse(Path path) throws PolicyFormatException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new PolicyFormatException(path.toString(), "the signature policy file does not exist",
          "create it (e.g. {\"default\": [{\"type\": \"reject\"}]}) or name another with --signature-policy", e);
    } catch (IOException e) {
      throw new PolicyFormatException(path.toString(), "cannot read the signature policy file: " + e.getMessage(),
          "check its permissions", e);
    }
    return parse(text, path.toString());
  }

  /**
   * Parses policy text; {@code file} names it in messages.
   *
   * @throws PolicyFormatException when the text is not a valid policy
   */
  public static Policy parse(String text, String file) throws PolicyFormatException {
    return new PolicyParser(file).parseDocument(text);
  }

  private Policy parseDocument(String text) throws PolicyFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    }
    if (root == null || root.isMissingNode()) {
      throw new PolicyFormatException(file, "", "the file is empty",
          "write at least {\"default\": [{\"type\": \"reject\"}]}");
    }
    JsonPath path = JsonPath.ROOT;
    requireObject(root, path, "the policy");
    onlyFields(root, path, Set.of("default", "transports"));
    if (!root.has("default")) {
      throw new PolicyFormatException(file, "default", "the global default requirements are missing",
          "add \"default\": [...], e.g. [{\"type\": \"reject\"}] to refuse what no scope allows");
    }
    List<Requirement> defaults = requirements(root.get("default"), path.field("default"));
    Map<String, Map<String, List<Requirement>>> transports = new LinkedHashMap<>();
    if (root.has("transports")) {
      JsonNode transportsNode = root.get("transports");
      JsonPath transportsPath = path.field("transports");
      requireObject(transportsNode, transportsPath, "transports");
      for (Iterator<Map.Entry<String, JsonNode>> it = transportsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> transport = it.next();
        transports.put(transport.getKey(), scopes(transport.getKey(), transport.getValue(), transportsPath.field(transport.getKey())));
      }
    }
    return new Policy(defaults, transports);
  }

  private Map<String, List<Requirement>> scopes(String transport, JsonNode node, JsonPath path) throws PolicyFormatException {
    requireObject(node, path, "a transport's scopes");
    Map<String, List<Requirement>> scopes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> scope = it.next();
      JsonPath scopePath = path.field(scope.getKey());
      Optional<String> problem = ScopeValidator.problem(transport, scope.getKey());
      if (problem.isPresent()) {
        throw new PolicyFormatException(file, scopePath.toString(),
            "invalid " + transport + " scope " + JsonPath.quote(scope.getKey()) + ": " + problem.get(), SEE_MAN_PAGE);
      }
      scopes.put(scope.getKey(), requirements(scope.getValue(), scopePath));
    }
    return scopes;
  }

  private List<Requirement> requirements(JsonNode node, JsonPath path) throws PolicyFormatException {
    if (!node.isArray()) {
      throw wrongType(path, node, "a list of requirements");
    }
    if (node.isEmpty()) {
      throw new PolicyFormatException(file, path.toString(), "the list of requirements is empty",
          "write at least one requirement; [{\"type\": \"insecureAcceptAnything\"}] says explicitly that nothing is checked");
    }
    List<Requirement> list = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      list.add(requirement(node.get(i), path.index(i)));
    }
    return list;
  }

  private Requirement requirement(JsonNode node, JsonPath path) throws PolicyFormatException {
    requireObject(node, path, "a requirement");
    String type = text(node, path, "type");
    return switch (type) {
      case "insecureAcceptAnything" -> {
        onlyFields(node, path, Set.of("type"));
        yield new Requirement.InsecureAcceptAnything();
      }
      case "reject" -> {
        onlyFields(node, path, Set.of("type"));
        yield new Requirement.Reject();
      }
      case "signedBy" -> signedBy(node, path);
      case "sigstoreSigned" -> sigstoreSigned(node, path);
      case "signedBaseLayer" -> throw new PolicyFormatException(file, path.field("type").toString(),
          "requirement type \"signedBaseLayer\" is not supported (containers/image never implemented it either)",
          "use signedBy or sigstoreSigned");
      default -> throw new PolicyFormatException(file, path.field("type").toString(),
          "unknown requirement type " + JsonPath.quote(type),
          "use insecureAcceptAnything, reject, signedBy or sigstoreSigned");
    };
  }

  private Requirement signedBy(JsonNode node, JsonPath path) throws PolicyFormatException {
    onlyFields(node, path, Set.of("type", "keyType", "keyPath", "keyPaths", "keyData", "signedIdentity"));
    String keyType = text(node, path, "keyType");
    if (!keyType.equals("GPGKeys")) {
      boolean knownElsewhere = Set.of("signedByGPGKeys", "X509Certificates", "signedByX509CAs").contains(keyType);
      throw new PolicyFormatException(file, path.field("keyType").toString(),
          "keyType " + JsonPath.quote(keyType) + (knownElsewhere ? " is not supported" : " is not a key type"),
          "bootj verifies signedBy signatures with \"keyType\": \"GPGKeys\" only");
    }
    KeySource keys = keySource(node, path, List.of("keyPath", "keyPaths", "keyData"));
    return new Requirement.SignedBy(keys, signedIdentity(node, path));
  }

  private Requirement sigstoreSigned(JsonNode node, JsonPath path) throws PolicyFormatException {
    for (String unsupported : List.of("fulcio", "pki", "rekorPublicKeyPath", "rekorPublicKeyPaths",
        "rekorPublicKeyData", "rekorPublicKeyDatas")) {
      if (node.has(unsupported)) {
        throw new PolicyFormatException(file, path.field(unsupported).toString(),
            JsonPath.quote(unsupported) + " is not supported yet (bootj verifies sigstore signatures against public keys only)",
            "use keyPath, keyPaths, keyData or keyDatas with a cosign public key");
      }
    }
    onlyFields(node, path, Set.of("type", "keyPath", "keyPaths", "keyData", "keyDatas", "signedIdentity"));
    KeySource keys = keySource(node, path, List.of("keyPath", "keyPaths", "keyData", "keyDatas"));
    return new Requirement.SigstoreSigned(keys, signedIdentity(node, path));
  }

  private KeySource keySource(JsonNode node, JsonPath path, List<String> allowed) throws PolicyFormatException {
    List<String> present = allowed.stream().filter(node::has).toList();
    if (present.size() != 1) {
      throw new PolicyFormatException(file, path.toString(),
          present.isEmpty()
              ? "no key is given"
              : "more than one key source is given (" + String.join(", ", present) + ")",
          "give exactly one of " + String.join(", ", allowed));
    }
    String field = present.get(0);
    JsonPath fieldPath = path.field(field);
    JsonNode value = node.get(field);
    return switch (field) {
      case "keyPath" -> new KeySource.Files(field, List.of(Path.of(nonEmptyText(value, fieldPath))));
      case "keyData" -> new KeySource.Inline(field, List.of(base64(value, fieldPath)));
      case "keyPaths" -> {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < nonEmptyArray(value, fieldPath).size(); i++) {
          paths.add(Path.of(nonEmptyText(value.get(i), fieldPath.index(i))));
        }
        yield new KeySource.Files(field, paths);
      }
      default -> {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < nonEmptyArray(value, fieldPath).size(); i++) {
          keys.add(base64(value.get(i), fieldPath.index(i)));
        }
        yield new KeySource.Inline(field, keys);
      }
    };
  }

  private SignedIdentity signedIdentity(JsonNode requirement, JsonPath requirementPath) throws PolicyFormatException {
    if (!requirement.has("signedIdentity")) {
      return new SignedIdentity.MatchRepoDigestOrExact();
    }
    JsonNode node = requirement.get("signedIdentity");
    JsonPath path = requirementPath.field("signedIdentity");
    requireObject(node, path, "an identity rule");
    String type = text(node, path, "type");
    switch (type) {
      case "matchExact":
        onlyFields(node, path, Set.of("type"));
        return new SignedIdentity.MatchExact();
      case "matchRepoDigestOrExact":
        onlyFields(node, path, Set.of("type"));
        return new SignedIdentity.MatchRepoDigestOrExact();
      case "matchRepository":
        onlyFields(node, path, Set.of("type"));
        return new SignedIdentity.MatchRepository();
      case "exactReference":
        onlyFields(node, path, Set.of("type", "dockerReference"));
        return identityValue(path.field("dockerReference"),
            () -> new SignedIdentity.ExactReference(text(node, path, "dockerReference")));
      case "exactRepository":
        onlyFields(node, path, Set.of("type", "dockerRepository"));
        return identityValue(path.field("dockerRepository"),
            () -> new SignedIdentity.ExactRepository(text(node, path, "dockerRepository")));
      case "remapIdentity":
        onlyFields(node, path, Set.of("type", "prefix", "signedPrefix"));
        String prefix = text(node, path, "prefix");
        String signedPrefix = text(node, path, "signedPrefix");
        return identityValue(path,
            () -> new SignedIdentity.RemapIdentity(prefix, signedPrefix));
      default:
        throw new PolicyFormatException(file, path.field("type").toString(),
            "unknown signedIdentity type " + JsonPath.quote(type),
            "use matchExact, matchRepoDigestOrExact, matchRepository, exactReference, exactRepository or remapIdentity");
    }
  }

  /** Builds an identity rule, turning its constructor's refusal into a message naming the field. */
  private SignedIdentity identityValue(JsonPath path, IdentityBuilder builder) throws PolicyFormatException {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new PolicyFormatException(file, path.toString(), "invalid value: " + e.getMessage(),
          "write a fully expanded docker reference such as registry.example/ns/repo");
    }
  }

  @FunctionalInterface
  private interface IdentityBuilder {
    SignedIdentity build() throws PolicyFormatException;
  }

  // --- strict field access ---

  private void onlyFields(JsonNode node, JsonPath path, Set<String> allowed) throws PolicyFormatException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new PolicyFormatException(file, path.field(name).toString(), "unknown field " + JsonPath.quote(name),
            "remove it or correct its spelling (allowed here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private void requireObject(JsonNode node, JsonPath path, String what) throws PolicyFormatException {
    if (!node.isObject()) {
      throw wrongType(path, node, what + " as a JSON object");
    }
  }

  private String text(JsonNode object, JsonPath objectPath, String field) throws PolicyFormatException {
    JsonPath path = objectPath.field(field);
    if (!object.has(field)) {
      throw new PolicyFormatException(file, path.toString(), "the field " + JsonPath.quote(field) + " is missing", SEE_MAN_PAGE);
    }
    JsonNode value = object.get(field);
    if (!value.isTextual()) {
      throw wrongType(path, value, "a string");
    }
    return value.textValue();
  }

  private String nonEmptyText(JsonNode value, JsonPath path) throws PolicyFormatException {
    if (!value.isTextual()) {
      throw wrongType(path, value, "a string");
    }
    if (value.textValue().isEmpty()) {
      throw new PolicyFormatException(file, path.toString(), "the value is empty", "give a path to a key file");
    }
    return value.textValue();
  }

  private JsonNode nonEmptyArray(JsonNode value, JsonPath path) throws PolicyFormatException {
    if (!value.isArray()) {
      throw wrongType(path, value, "a list");
    }
    if (value.isEmpty()) {
      throw new PolicyFormatException(file, path.toString(), "the list is empty", "give at least one key");
    }
    return value;
  }

  private byte[] base64(JsonNode value, JsonPath path) throws PolicyFormatException {
    if (!value.isTextual()) {
      throw wrongType(path, value, "a base64 string");
    }
    String compact = value.textValue().replace("\r", "").replace("\n", "");
    if (compact.isEmpty() || !BASE64.matcher(compact).matches()) {
      throw new PolicyFormatException(file, path.toString(),
          compact.isEmpty() ? "the key data is empty" : "the key data is not valid padded base64",
          "encode the key file with base64 -w0");
    }
    return Base64.getDecoder().decode(compact);
  }

  private PolicyFormatException wrongType(JsonPath path, JsonNode value, String expected) {
    String actual = value.isNull() ? "null" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    return new PolicyFormatException(file, path.toString(), "expected " + expected + ", found " + actual, SEE_MAN_PAGE);
  }

  private PolicyFormatException syntaxError(JsonProcessingException e) {
    String where = "";
    if (e.getProcessor() instanceof JsonParser parser) {
      JsonStreamContext context = parser.getParsingContext();
      where = pathOf(context).toString();
    }
    String location = e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    // Jackson names where an unclosed object or array began by quoting the text from there on
    // ("(start marker at [Source: (String)\"{..."): the line and column below say where instead.
    String problem = e.getOriginalMessage().lines().findFirst().orElse("malformed JSON")
        .replaceFirst("\\s*\\(start marker at .*", "");
    if (problem.startsWith("Duplicate field")) {
      return new PolicyFormatException(file, where, problem.replace("Duplicate field", "duplicate field") + location,
          "keep one of them; containers/image refuses duplicated fields");
    }
    return new PolicyFormatException(file, where, "not valid JSON: " + problem + location, SEE_MAN_PAGE);
  }

  // Each open object or array knows its current field name or index; together they are the path.
  private static JsonPath pathOf(JsonStreamContext context) {
    List<JsonStreamContext> chain = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      chain.add(0, c);
    }
    JsonPath path = JsonPath.ROOT;
    for (JsonStreamContext c : chain) {
      if (c.inObject() && c.getCurrentName() != null) {
        path = path.field(c.getCurrentName());
      } else if (c.inArray() && c.getCurrentIndex() >= 0) {
        path = path.index(c.getCurrentIndex());
      }
    }
    return path;
  }
}
