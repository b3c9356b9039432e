package dev.bootj.oci.trust.simplesigning;

import static dev.bootj.oci.trust.simplesigning.SimpleSigningFixtures.bytes;
import static dev.bootj.oci.trust.simplesigning.SimpleSigningFixtures.keyring;
import static dev.bootj.oci.trust.simplesigning.SimpleSigningFixtures.property;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.trust.simplesigning.InvalidSignatureException.Problem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signatures made by gpg and skopeo (see generate.sh), verified with Bouncy Castle. */
class SimpleSigningVerifierTest {

  @Test
  void acceptsAnRsa3072SignatureMadeByGpgSign() throws Exception {
    VerifiedSignature verified = new SimpleSigningVerifier(keyring("rsa.pub.gpg")).verify(bytes("rsa.sig"));

    assertThat(verified.keyFingerprint()).isEqualTo(property("rsa"));
    assertThat(verified.payload()).isEqualTo(new SignaturePayload("registry.example/os:1", property("digest")));
  }

  @Test
  void acceptsAnUncompressedEd25519SignatureWithAnArmoredKey() throws Exception {
    VerifiedSignature verified = new SimpleSigningVerifier(keyring("ed25519.pub.asc")).verify(bytes("ed25519.sig"));

    assertThat(verified.keyFingerprint()).isEqualTo(property("ed25519"));
    assertThat(verified.payload().manifestDigest()).isEqualTo(property("digest"));
  }

  @Test
  void acceptsAnArmoredSignature() throws Exception {
    VerifiedSignature verified = new SimpleSigningVerifier(keyring("ed25519.pub.asc")).verify(bytes("ed25519.sig.asc"));

    assertThat(verified.keyFingerprint()).isEqualTo(property("ed25519"));
  }

  @Test
  void aKeyringWithSeveralKeysTrustsEachOfThem() throws Exception {
    SimpleSigningVerifier verifier = new SimpleSigningVerifier(keyring("rsa-and-ed25519.pub.gpg"));

    assertThat(verifier.verify(bytes("rsa.sig")).keyFingerprint()).isEqualTo(property("rsa"));
    assertThat(verifier.verify(bytes("ed25519.sig")).keyFingerprint()).isEqualTo(property("ed25519"));
    assertThat(keyring("rsa-and-ed25519.pub.gpg").fingerprints()).containsExactly(property("rsa"), property("ed25519"));
  }

  @Test
  void acceptsWhatSkopeoSignsWithContainersImagesOwnPayload() throws Exception {
    VerifiedSignature verified = new SimpleSigningVerifier(keyring("rsa.pub.gpg")).verify(bytes("skopeo-rsa.sig"));

    assertThat(verified.keyFingerprint()).isEqualTo(property("rsa"));
    assertThat(verified.payload()).isEqualTo(new SignaturePayload("registry.example/os:1", property("digest")));
  }

  @Test
  void aSigningSubkeyCountsAsItsPrimaryKey() throws Exception {
    VerifiedSignature verified = new SimpleSigningVerifier(keyring("subkey.pub.asc")).verify(bytes("subkey.sig"));

    assertThat(verified.keyFingerprint()).isEqualTo(property("subkeyPrimary")).isNotEqualTo(property("subkey"));
  }

  @Test
  void refusesASignatureByAKeyOutsideTheKeyring() {
    assertRefused(keyring("rsa-and-ed25519.pub.gpg"), "untrusted.sig", Problem.UNTRUSTED_KEY)
        .hasMessageContaining(property("untrusted"));
  }

  @Test
  void refusesAPayloadChangedAfterSigning() {
    assertRefused(keyring("ed25519.pub.asc"), "tampered.sig", Problem.BAD_SIGNATURE)
        .hasMessageContaining("altered");
  }

  @Test
  void refusesASignatureByAKeyThatHasSinceExpired() {
    assertRefused(keyring("expired.pub.gpg"), "expired.sig", Problem.UNTRUSTED_KEY).hasMessageContaining("expired on 2020-12-31");
  }

  @Test
  void acceptsTheSameSignatureWhileItsKeyWasValid() throws Exception {
    Clock mid2020 = Clock.fixed(Instant.parse("2020-07-01T00:00:00Z"), ZoneOffset.UTC);

    VerifiedSignature verified = new SimpleSigningVerifier(keyring("expired.pub.gpg"), mid2020).verify(bytes("expired.sig"));

    assertThat(verified.keyFingerprint()).isEqualTo(property("expired"));
  }

  @Test
  void aClockBeforeTheKeysCreationRefusesAndSaysSo() {
    Clock unset = Clock.fixed(Instant.parse("1970-01-01T00:00:00Z"), ZoneOffset.UTC);

    assertThatThrownBy(() -> new SimpleSigningVerifier(keyring("rsa.pub.gpg"), unset).verify(bytes("rsa.sig")))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED_KEY))
        .hasMessageContaining("after this machine's clock time 1970-01-01T00:00:00Z; set the clock");
  }

  @Test
  void refusesASignatureByARevokedKey() {
    assertRefused(keyring("revoked.pub.gpg"), "revoked.sig", Problem.UNTRUSTED_KEY).hasMessageContaining("revoked");
  }

  @Test
  void refusesAWellSignedPayloadOfAnotherType() {
    assertRefused(keyring("rsa.pub.gpg"), "rsa-cosign-type.sig", Problem.INVALID_PAYLOAD)
        .hasMessageContaining("cosign container image signature");
  }

  @Test
  void refusesADetachedSignature() {
    assertRefused(keyring("rsa.pub.gpg"), "detached.sig", Problem.MALFORMED).hasMessageContaining("not an attached signature");
  }

  @Test
  void refusesAMessageSignedByTwoKeys() {
    assertRefused(keyring("rsa-and-ed25519.pub.gpg"), "two-signatures.sig", Problem.MALFORMED)
        .hasMessageContaining("2 signatures");
  }

  @Test
  void refusesBytesThatAreNoOpenPgpMessage() {
    SimpleSigningVerifier verifier = new SimpleSigningVerifier(keyring("rsa.pub.gpg"));

    for (byte[] notASignature : List.of(bytes("payload.json"), bytes("rsa.pub.gpg"), new byte[0], new byte[] {(byte) 0xa3, 1})) {
      assertThatThrownBy(() -> verifier.verify(notASignature))
          .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED));
    }
  }

  @Test
  void refusesATruncatedSignature() {
    byte[] signature = bytes("ed25519.sig");

    assertThatThrownBy(() -> new SimpleSigningVerifier(keyring("ed25519.pub.asc")).verify(Arrays.copyOf(signature, signature.length - 10)))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED));
  }

  @Test
  void refusesAnOversizedFileWithoutParsingIt() {
    byte[] huge = new byte[SimpleSigningVerifier.MAX_SIGNATURE_BYTES + 1];

    assertThatThrownBy(() -> new SimpleSigningVerifier(keyring("rsa.pub.gpg")).verify(huge))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED))
        .hasMessageContaining("more than");
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      OpenPgpKeyring keys, String signature, Problem problem) {
    return assertThatThrownBy(() -> new SimpleSigningVerifier(keys).verify(bytes(signature)))
        .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.problem()).isEqualTo(problem));
  }
}
