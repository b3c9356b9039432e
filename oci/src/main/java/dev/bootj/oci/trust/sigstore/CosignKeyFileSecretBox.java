package dev.bootj.oci.trust.sigstore;

import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20 and Poly1305), the cipher cosign's key files name
 * {@code nacl/secretbox}. The first 32 bytes of the XSalsa20 keystream are the one-time Poly1305
 * key; the rest encrypts the message; the 16-byte tag comes before the ciphertext, as NaCl lays
 * out a sealed box.
 */
final class CosignKeyFileSecretBox {

  static final int KEY_SIZE = 32;
  static final int NONCE_SIZE = 24;
  static final int TAG_SIZE = 16;

  private CosignKeyFileSecretBox() {}

  /** Tag followed by ciphertext. */
  static byte[] seal(byte[] message, byte[] nonce, byte[] key) {
    XSalsa20Engine stream = stream(nonce, key);
    Poly1305 mac = oneTimeMac(stream);
    byte[] sealed = new byte[TAG_SIZE + message.length];
    stream.processBytes(message, 0, message.length, sealed, TAG_SIZE);
    mac.update(sealed, TAG_SIZE, message.length);
    mac.doFinal(sealed, 0);
    return sealed;
  }

  /** The message, or empty when the tag does not authenticate the ciphertext under this key. */
  static Optional<byte[]> open(byte[] sealed, byte[] nonce, byte[] key) {
    if (sealed.length < TAG_SIZE) {
      return Optional.empty();
    }
    XSalsa20Engine stream = stream(nonce, key);
    Poly1305 mac = oneTimeMac(stream);
    int length = sealed.length - TAG_SIZE;
    mac.update(sealed, TAG_SIZE, length);
    byte[] tag = new byte[TAG_SIZE];
    mac.doFinal(tag, 0);
    // Constant time, so the comparison tells an attacker nothing about how much of a tag matched.
    if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(tag, Arrays.copyOf(sealed, TAG_SIZE))) {
      return Optional.empty();
    }
    byte[] message = new byte[length];
    stream.processBytes(sealed, TAG_SIZE, length, message, 0);
    return Optional.of(message);
  }

  private static XSalsa20Engine stream(byte[] nonce, byte[] key) {
    if (nonce.length != NONCE_SIZE || key.length != KEY_SIZE) {
      throw new IllegalArgumentException("secretbox needs a 24-byte nonce and a 32-byte key");
    }
    XSalsa20Engine stream = new XSalsa20Engine();
    stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return stream;
  }

  /** Takes the Poly1305 key from the first 32 keystream bytes, leaving the stream just past them. */
  private static Poly1305 oneTimeMac(XSalsa20Engine stream) {
    byte[] macKey = new byte[KEY_SIZE];
    stream.processBytes(new byte[KEY_SIZE], 0, KEY_SIZE, macKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    Arrays.fill(macKey, (byte) 0);
    return mac;
  }
}
