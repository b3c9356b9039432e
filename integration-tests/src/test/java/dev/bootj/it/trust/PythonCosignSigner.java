package dev.bootj.it.trust;

import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent cosign signer, since cosign itself is not packaged here: Debian's python3 with
 * python3-cryptography makes an ECDSA P-256 key, signs cosign's payload for an image digest
 * (SHA-256, DER, base64) and lays the signature out as cosign pushes it: an OCI image whose one
 * layer is the payload ({@code application/vnd.dev.cosign.simplesigning.v1+json}) carrying the
 * signature in the {@code dev.cosignproject.cosign/signature} annotation. skopeo then pushes that
 * layout to the {@code sha256-<hex>.sig} tag. No bootj code takes part in any of it.
 */
final class PythonCosignSigner {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private static final String SCRIPT = String.join("\n",
      "import base64, hashlib, json, os, sys",
      "from cryptography.hazmat.primitives import hashes, serialization",
      "from cryptography.hazmat.primitives.asymmetric import ec",
      "if sys.argv[1] == 'keygen':",
      "    key = ec.generate_private_key(ec.SECP256R1())",
      "    with open(sys.argv[2] + '.pem', 'wb') as f:",
      "        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,",
      "                                  serialization.NoEncryption()))",
      "    with open(sys.argv[2] + '.pub', 'wb') as f:",
      "        f.write(key.public_key().public_bytes(serialization.Encoding.PEM,",
      "                                              serialization.PublicFormat.SubjectPublicKeyInfo))",
      "    sys.exit(0)",
      "_, _, key_file, repository, digest, layout = sys.argv",
      "with open(key_file, 'rb') as f:",
      "    key = serialization.load_pem_private_key(f.read(), password=None)",
      "payload = json.dumps({'critical': {'identity': {'docker-reference': repository},",
      "                                   'image': {'docker-manifest-digest': digest},",
      "                                   'type': 'cosign container image signature'},",
      "                      'optional': None}, separators=(',', ':')).encode()",
      "signature = base64.b64encode(key.sign(payload, ec.ECDSA(hashes.SHA256()))).decode()",
      "os.makedirs(layout + '/blobs/sha256')",
      "def blob(data):",
      "    hexdigest = hashlib.sha256(data).hexdigest()",
      "    with open(layout + '/blobs/sha256/' + hexdigest, 'wb') as f:",
      "        f.write(data)",
      "    return 'sha256:' + hexdigest",
      "payload_digest = blob(payload)",
      "config = json.dumps({'architecture': '', 'config': {}, 'created': '0001-01-01T00:00:00Z',",
      "                     'history': [{'created': '0001-01-01T00:00:00Z'}], 'os': '',",
      "                     'rootfs': {'type': 'layers', 'diff_ids': [payload_digest]}}).encode()",
      "manifest = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',",
      "    'config': {'mediaType': 'application/vnd.oci.image.config.v1+json', 'size': len(config), 'digest': blob(config)},",
      "    'layers': [{'mediaType': 'application/vnd.dev.cosign.simplesigning.v1+json', 'size': len(payload),",
      "                'digest': payload_digest, 'annotations': {'dev.cosignproject.cosign/signature': signature}}]}).encode()",
      "with open(layout + '/index.json', 'w') as f:",
      "    json.dump({'schemaVersion': 2, 'manifests': [{'mediaType': 'application/vnd.oci.image.manifest.v1+json',",
      "        'digest': blob(manifest), 'size': len(manifest),",
      "        'annotations': {'org.opencontainers.image.ref.name': 'sig'}}]}, f)",
      "with open(layout + '/oci-layout', 'w') as f:",
      "    f.write('{\"imageLayoutVersion\": \"1.0.0\"}')",
      "");

  private final Path privateKey;
  private final Path publicKey;

  private PythonCosignSigner(Path privateKey, Path publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A new key pair: {@code prefix.pem} (PKCS#8, unencrypted) and {@code prefix.pub} (PEM SubjectPublicKeyInfo). */
  static PythonCosignSigner generate(Path prefix) {
    python("keygen", prefix.toString());
    return new PythonCosignSigner(Path.of(prefix + ".pem"), Path.of(prefix + ".pub"));
  }

  /** The public key, as a policy's {@code keyPath} names it. */
  Path publicKey() {
    return publicKey;
  }

  /**
   * Signs {@code digest} as an image of {@code repository} ({@code host:port/repo}, which the
   * payload names, as cosign's does) and pushes the signature to {@code repository:sha256-<hex>.sig},
   * replacing what that tag held. {@code work} is a directory that does not exist yet.
   */
  void signAndPush(String repository, String digest, Path work) {
    python("sign", privateKey.toString(), repository, digest, work.toString());
    Skopeo.copy("oci:" + work + ":sig", "docker://" + signatureTag(repository, digest));
  }

  /** Where cosign keeps the signatures of {@code digest} in {@code repository}. */
  static String signatureTag(String repository, String digest) {
    return repository + ":" + digest.replace(':', '-') + ".sig";
  }

  private static void python(String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", SCRIPT));
    command.addAll(List.of(args));
    HostCommand.run(TIMEOUT, command);
  }
}
