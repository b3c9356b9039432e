package dev.bootj.oci.trust.simplesigning;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootj.oci.trust.simplesigning.InvalidSignatureException.Problem;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The claim a signature makes, in the "simple signing" JSON format of containers/image, which
 * cosign reuses for its payloads (media type {@code application/vnd.dev.cosign.simplesigning.v1+json}):
 *
 * <pre>{"critical": {"identity": {"docker-reference": R}, "image": {"docker-manifest-digest": D},
 *   "type": T}, "optional": {...}}</pre>
 *
 * <p>Parsed as strictly as containers/image does: {@code critical} and its objects must hold
 * exactly their fields, every value must have its JSON type, keys must not repeat, and nothing
 * may follow the object. In {@code optional}, unknown fields are ignored, but {@code creator}
 * must be a string and {@code timestamp} an integer. Unlike containers/image, a JSON
 * {@code null} in place of a string is refused rather than read as an empty string.
 *
 * @param dockerReference what {@code identity.docker-reference} claims, unparsed (the identity
 *     rules parse it and refuse what does not parse)
 * @param manifestDigest {@code image.docker-manifest-digest}: {@code sha256:}, {@code sha384:}
 *     or {@code sha512:} and lowercase hex of the algorithm's length
 */
public record SignaturePayload(String dockerReference, String manifestDigest) {

  /** Payloads are a few hundred bytes; anything beyond this is not a payload worth parsing. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  // go-digest accepts only the algorithms it can compute, each with its exact lowercase hex length.
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");

  /** Which signature the payload belongs to: the two differ in {@code type} and in whether {@code optional} may be null. */
  public enum Format {
    /** OpenPGP simple signing ({@code signedBy}); {@code optional} must be an object. */
    SIMPLE_SIGNING("atomic container signature", false),
    /** Cosign / sigstore ({@code sigstoreSigned}); cosign writes {@code "optional": null} when it has no annotations. */
    COSIGN("cosign container image signature", true);

    private final String type;
    private final boolean optionalMayBeNull;

    Format(String type, boolean optionalMayBeNull) {
      this.type = type;
      this.optionalMayBeNull = optionalMayBeNull;
    }

    /** The {@code critical.type} value this format requires. */
    public String type() {
      return type;
    }
  }

  /**
   * The payload as a signer writes it, in the field order cosign and containers/image write:
   * {@code critical} (identity, image, type), then {@code optional} (null for cosign, an empty
   * object for simple signing).
   */
  public byte[] toJson(Format format) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest);
    critical.put("type", format.type());
    if (format.optionalMayBeNull) {
      root.putNull("optional");
    } else {
      root.putObject("optional");
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a payload of strings cannot fail to serialise", e);
    }
  }

  /**
   * Parses {@code json} as a payload of {@code format}.
   *
   * @throws InvalidSignatureException ({@link Problem#INVALID_PAYLOAD}) saying what is wrong
   */
  public static SignaturePayload parse(byte[] json, Format format) throws InvalidSignatureException {
    if (json.length > MAX_BYTES) {
      throw invalid("the payload is " + json.length + " bytes, more than the " + MAX_BYTES + " a payload may have");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid("the payload is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("the payload cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw invalid("the payload is empty");
    }
    exactFields(root, "the payload", Set.of("critical", "optional"));
    checkOptional(root.get("optional"), format);

    JsonNode critical = root.get("critical");
    exactFields(critical, "critical", Set.of("type", "image", "identity"));
    String type = string(critical.get("type"), "critical.type");
    if (!type.equals(format.type)) {
      throw invalid("critical.type is " + quote(type) + ", not " + quote(format.type));
    }
    JsonNode image = critical.get("image");
    exactFields(image, "critical.image", Set.of("docker-manifest-digest"));
    String digest = string(image.get("docker-manifest-digest"), "critical.image.docker-manifest-digest");
    if (!DIGEST.matcher(digest).matches()) {
      throw invalid("critical.image.docker-manifest-digest " + quote(digest)
          + " is not a sha256, sha384 or sha512 digest in lowercase hex");
    }
    JsonNode identity = critical.get("identity");
    exactFields(identity, "critical.identity", Set.of("docker-reference"));
    String reference = string(identity.get("docker-reference"), "critical.identity.docker-reference");
    return new SignaturePayload(reference, digest);
  }

  private static void checkOptional(JsonNode optional, Format format) throws InvalidSignatureException {
    if (optional.isNull() && format.optionalMayBeNull) {
      return;
    }
    if (!optional.isObject()) {
      throw invalid("optional must be a JSON object" + (format.optionalMayBeNull ? " or null" : ""));
    }
    JsonNode creator = optional.get("creator");
    if (creator != null) {
      string(creator, "optional.creator");
    }
    JsonNode timestamp = optional.get("timestamp");
    if (timestamp != null && !isInteger(timestamp)) {
      throw invalid("optional.timestamp must be an integer number of seconds");
    }
  }

  // Go decodes the timestamp as a float64 and refuses a fractional value, so 1.7e9 is an integer too.
  private static boolean isInteger(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.canConvertToLong();
    }
    if (n.isFloatingPointNumber()) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 0x1p63;
    }
    return false;
  }

  private static void exactFields(JsonNode node, String what, Set<String> fields) throws InvalidSignatureException {
    if (!node.isObject()) {
      throw invalid(what + " must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!fields.contains(name)) {
        throw invalid(what + " has the unknown field " + quote(name));
      }
    }
    for (String field : fields) {
      if (!node.has(field)) {
        throw invalid(what + " lacks the field " + quote(field));
      }
    }
  }

  private static String string(JsonNode node, String what) throws InvalidSignatureException {
    if (!node.isTextual()) {
      throw invalid(what + " must be a JSON string");
    }
    return node.textValue();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.append(s.length() > 200 ? "...\"" : "\"").toString();
  }

  private static InvalidSignatureException invalid(String message) {
    return new InvalidSignatureException(Problem.INVALID_PAYLOAD, message);
  }
}
