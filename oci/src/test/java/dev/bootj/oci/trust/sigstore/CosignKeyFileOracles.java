package dev.bootj.oci.trust.sigstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The independent parties the sigstore key tests check bootj against: Debian's Python
 * (python3-nacl, python3-cryptography, hashlib.scrypt) through {@code cosign_key.py}, and the
 * openssl command. The committed fixtures and their passphrase are here too.
 *
 * <p>The fixtures ({@code python-*.key} and {@code .pub} beside {@code cosign_key.py} under
 * src/test/resources) were written by {@code /usr/bin/python3 cosign_key.py fixtures .} run in
 * that directory; run it again to replace them.
 */
final class CosignKeyFileOracles {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  /** The passphrase cosign_key.py's {@code fixtures} command seals its keys with. */
  static final byte[] FIXTURE_PASSPHRASE = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

  record Result(int exit, String output) {}

  private CosignKeyFileOracles() {}

  /** A committed fixture (or the Python script) copied into {@code dir}. */
  static Path resource(String name, Path dir) {
    try (InputStream in = CosignKeyFileOracles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      Path copy = dir.resolve(name);
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resourceBytes(String name) {
    try (InputStream in = CosignKeyFileOracles.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether Debian's Python with python3-nacl and python3-cryptography is here. */
  static boolean pythonAvailable() {
    return Files.isExecutable(PYTHON)
        && run(List.of(PYTHON.toString(), "-c", "import nacl.secret, cryptography, hashlib; hashlib.scrypt"), null)
            .exit() == 0;
  }

  static boolean opensslAvailable() {
    return run(List.of("openssl", "version"), null).exit() == 0;
  }

  /** Runs cosign_key.py with {@code args}; its output is stdout and stderr together. */
  static Result python(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), resource("cosign_key.py", dir).toString()));
    command.addAll(List.of(args));
    return run(command, dir);
  }

  static Result openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    return run(command, dir);
  }

  /** The public key in a PEM {@code PUBLIC KEY} text, parsed by Bouncy Castle's PEM reader and the JDK. */
  static PublicKey publicKey(String pem) throws Exception {
    try (PemReader reader = new PemReader(new java.io.StringReader(pem))) {
      PemObject block = reader.readPemObject();
      if (!"PUBLIC KEY".equals(block.getType())) {
        throw new IllegalArgumentException("PEM type " + block.getType());
      }
      byte[] der = block.getContent();
      String algorithm = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(der).getAlgorithm()
          .getAlgorithm().getId();
      String jca = switch (algorithm) {
        case "1.2.840.10045.2.1" -> "EC";
        case "1.2.840.113549.1.1.1" -> "RSA";
        case "1.3.101.112" -> "Ed25519";
        default -> throw new IllegalArgumentException("key algorithm " + algorithm);
      };
      return KeyFactory.getInstance(jca).generatePublic(new X509EncodedKeySpec(der));
    }
  }

  private static Result run(List<String> command, Path dir) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
