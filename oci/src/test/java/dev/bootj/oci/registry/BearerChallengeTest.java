package dev.bootj.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerChallengeTest {

  @Test
  void readsABearerChallenge() {
    BearerChallenge c = BearerChallenge.parse(
        "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:os:pull\"").orElseThrow();
    assertThat(c.isBearer()).isTrue();
    assertThat(c.parameters()).containsEntry("realm", "https://auth.example/token")
        .containsEntry("service", "registry.example").containsEntry("scope", "repository:os:pull");
  }

  @Test
  void readsBasicAndUnquotedValues() {
    BearerChallenge c = BearerChallenge.parse("Basic realm=Registry, charset=\"UTF-8\"").orElseThrow();
    assertThat(c.isBasic()).isTrue();
    assertThat(c.parameters()).containsEntry("realm", "Registry").containsEntry("charset", "UTF-8");
  }

  @Test
  void quotedCommasAndEscapes() {
    BearerChallenge c = BearerChallenge.parse("Bearer realm=\"a,b\",scope=\"x\\\"y\"").orElseThrow();
    assertThat(c.parameters()).containsEntry("realm", "a,b").containsEntry("scope", "x\"y");
  }

  @Test
  void emptyHeaderIsNoChallenge() {
    assertThat(BearerChallenge.parse(null)).isEmpty();
    assertThat(BearerChallenge.parse(" ")).isEmpty();
  }
}
