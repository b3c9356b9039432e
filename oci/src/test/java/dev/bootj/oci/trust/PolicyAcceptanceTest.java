package dev.bootj.oci.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyAcceptanceTest {

  private static final PolicyAcceptance ACCEPTED = new PolicyAcceptance("docker: registry.example/os", List.of(
      new SatisfiedRequirement("sigstoreSigned", "ab".repeat(32), "registry.example/os"),
      new SatisfiedRequirement("insecureAcceptAnything", null, null)));

  @Test
  void jsonHoldsExactlyScopeTypeFingerprintAndIdentity() throws Exception {
    // As the CLI prints records: a plain ObjectMapper.
    String json = new ObjectMapper().writeValueAsString(ACCEPTED);

    assertThat(json).isEqualTo("{\"scope\":\"docker: registry.example/os\",\"requirements\":["
        + "{\"type\":\"sigstoreSigned\",\"keyFingerprint\":\"" + "ab".repeat(32) + "\",\"signedIdentity\":\"registry.example/os\"},"
        + "{\"type\":\"insecureAcceptAnything\",\"keyFingerprint\":null,\"signedIdentity\":null}]}");
  }

  @Test
  void summaryIsOneLine() {
    assertThat(ACCEPTED.summary()).isEqualTo("docker: registry.example/os: sigstoreSigned: key " + "ab".repeat(32)
        + ", identity registry.example/os; insecureAcceptAnything");
    assertThat(ACCEPTED.anySignatureVerified()).isTrue();
  }

  @Test
  void isImmutable() {
    List<SatisfiedRequirement> list = new ArrayList<>(List.of(SatisfiedRequirement.withoutSignature("insecureAcceptAnything")));
    PolicyAcceptance acceptance = new PolicyAcceptance("default", list);
    list.clear();

    assertThat(acceptance.requirements()).hasSize(1);
  }
}
