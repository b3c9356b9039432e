package dev.bootj.cli.image;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.PassphraseOptions;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.common.BootjException;
import dev.bootj.oci.ImageSigner;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.oci.trust.sigstore.CosignKeyFile;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootj image sign}. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign an image in a registry with a cosign key, as 'cosign sign --key' does.",
      "",
      "The reference is resolved to its digest now (the index's, when it names a multi-platform"
          + " image); a cosign payload naming the repository and that digest is signed with KEY and"
          + " added to the repository's sha256-<hex>.sig tag, next to any signatures already there."
          + " Machines whose containers-policy.json has a sigstoreSigned requirement with the"
          + " matching public key then accept the image, when their registries.d sets"
          + " use-sigstore-attachments: true for the registry.",
      "",
      "KEY is a private key in cosign's encrypted format ('bootj image generate-key' or 'cosign"
          + " generate-key-pair' writes one; both ENCRYPTED SIGSTORE PRIVATE KEY and the older"
          + " ENCRYPTED COSIGN PRIVATE KEY are read). Sign by digest (IMAGE@sha256:...) to be sure of"
          + " what you sign when others can push the tag."
    },
    footerHeading = "%nEnvironment:%n",
    footer = {"  COSIGN_PASSWORD   the key's passphrase when --passphrase-file is not given, as cosign reads it"})
final class ImageSignCommand extends StoreCommand {

  @Parameters(paramLabel = "IMAGE", description = "The registry image to sign.")
  String image;

  @Option(names = "--key", required = true, paramLabel = "KEY", description = "The cosign private key file.")
  Path key;

  @Mixin public PassphraseOptions passphrase;
  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (!(ImageReference.parse(image) instanceof RegistryReference reference)) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, image + " is not an image in a registry; cosign-style"
          + " signatures are stored in the registry next to the image: push it, then sign it there");
    }
    byte[] secret = passphrase.read(false, spec);
    KeyPair pair;
    try {
      pair = CosignKeyFile.read(key, secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    ImageSigner.Signed signed = new ImageSigner(openStore(), access.toPullOptions()).sign(reference, pair, key.toString());
    if (output.json()) {
      Json.print(out(), ImageReports.Signed.of(signed));
    } else {
      out().printf("%s %s%n  digest %s%n  key    %s%n  in     %s%n", signed.added() ? "Signed" : "Already signed:",
          signed.reference(), signed.signedDigest(), signed.keyFingerprint(), signed.signatureTag());
      out().flush();
    }
    return 0;
  }
}
