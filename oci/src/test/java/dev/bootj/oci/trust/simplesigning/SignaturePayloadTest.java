package dev.bootj.oci.trust.simplesigning;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.trust.simplesigning.InvalidSignatureException.Problem;
import dev.bootj.oci.trust.simplesigning.SignaturePayload.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignaturePayloadTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static String payload(String critical, String optional) {
    return "{\"critical\":" + critical + ",\"optional\":" + optional + "}";
  }

  private static String critical(String type) {
    return "{\"identity\":{\"docker-reference\":\"registry.example/os:1\"},\"image\":{\"docker-manifest-digest\":\""
        + DIGEST + "\"},\"type\":\"" + type + "\"}";
  }

  private static final String ATOMIC = critical("atomic container signature");
  private static final String COSIGN = critical("cosign container image signature");

  @Test
  void readsTheIdentityAndDigest() throws Exception {
    SignaturePayload parsed = parse(payload(ATOMIC, "{\"creator\":\"atomic 2.0.0\",\"timestamp\":1764547200}"), Format.SIMPLE_SIGNING);

    assertThat(parsed).isEqualTo(new SignaturePayload("registry.example/os:1", DIGEST));
  }

  @Test
  void readsWhatCosignWritesWithNullOptional() throws Exception {
    String cosign = "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/os\"},\"image\":{\"docker-manifest-digest\":\""
        + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";

    assertThat(parse(cosign, Format.COSIGN)).isEqualTo(new SignaturePayload("registry.example/os", DIGEST));
  }

  @Test
  void ignoresUnknownOptionalFieldsOfAnyType() throws Exception {
    assertThat(parse(payload(COSIGN, "{\"sigstore\":{\"a\":[1,2]},\"timestamp\":1.7e9}"), Format.COSIGN).manifestDigest())
        .isEqualTo(DIGEST);
  }

  @Test
  void acceptsSha512Digests() throws Exception {
    String sha512 = "sha512:" + "0f".repeat(64);

    assertThat(parse(payload(ATOMIC.replace(DIGEST, sha512), "{}"), Format.SIMPLE_SIGNING).manifestDigest()).isEqualTo(sha512);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // the type of the other format, or none
      "{\"critical\":" + "{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"cosign container image signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"}},\"optional\":{}}",
      // unknown fields in critical and its objects
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\",\"expires\":1},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\",\"x\":1},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\",\"x\":1},\"type\":\"atomic container signature\"},\"optional\":{}}",
      // unknown or missing top-level fields
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{},\"x\":1}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"}}",
      // wrong JSON types
      "{\"critical\":{\"identity\":{\"docker-reference\":1},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":null},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":[\"r\"],\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":null}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":[]}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{\"creator\":5}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{\"timestamp\":1.5}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{\"timestamp\":\"1\"}}",
      // digests go-digest would not parse
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:ABAB\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"md5:00000000000000000000000000000000\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      // repeated keys, trailing data, not an object, not JSON
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"identity\":{\"docker-reference\":\"s\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{}}",
      "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"atomic container signature\"},\"optional\":{}} {}",
      "[]",
      "",
      "{\"critical\":",
  })
  void refusesPayloadsContainersImageWouldRefuse(String json) {
    assertThatThrownBy(() -> parse(json.replace("\"D\"", "\"" + DIGEST + "\""), Format.SIMPLE_SIGNING))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_PAYLOAD));
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertThatThrownBy(() -> parse(payload(ATOMIC.replace("\"type\"", "\"type\":\"x\",\"extra\""), "{}"), Format.SIMPLE_SIGNING))
        .hasMessageContaining("\"extra\"");
    assertThatThrownBy(() -> parse(payload(COSIGN, "{}"), Format.SIMPLE_SIGNING))
        .hasMessage("critical.type is \"cosign container image signature\", not \"atomic container signature\"");
  }

  @Test
  void refusesOversizedPayloads() {
    String big = payload(ATOMIC, "{\"pad\":\"" + "x".repeat(SignaturePayload.MAX_BYTES) + "\"}");

    assertThatThrownBy(() -> parse(big, Format.SIMPLE_SIGNING)).hasMessageContaining("more than");
  }

  private static SignaturePayload parse(String json, Format format) throws InvalidSignatureException {
    return SignaturePayload.parse(json.getBytes(UTF_8), format);
  }
}
