package dev.bootj.cli.image;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.output.ImageReports;
import dev.bootj.cli.output.Json;
import dev.bootj.oci.ImageVerifier;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.trust.SatisfiedRequirement;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootj image verify}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check an image against the signature policy and say who signed what.",
      "",
      "The reference is resolved to its digest and checked exactly as 'image pull', 'install' and"
          + " 'switch' check it, against /etc/containers/policy.json (or --signature-policy) with the"
          + " signatures registries.d points to; no layer is fetched. With --key, the only requirement"
          + " is a cosign signature by that public key naming the image's repository, as 'cosign"
          + " verify --key' checks. Exit status 0 when the image is accepted, 4 when it is refused."
    })
final class ImageVerifyCommand extends StoreCommand {

  @Parameters(paramLabel = "IMAGE", description = "The image to verify.")
  String image;

  @Option(names = "--key", paramLabel = "PUBLIC_KEY",
      description = "Require a cosign signature by this public key (PEM) instead of following the policy file.")
  Path key;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    PullOptions options = access.toPullOptions();
    if (key != null) {
      options = options.withTrust(TrustPolicy.requiringKey(key, options.trust().registriesD()));
    }
    ImageVerifier.Verified verified = new ImageVerifier(openStore(), options).verify(ImageReference.parse(image));
    if (output.json()) {
      Json.print(out(), ImageReports.Verified.of(verified));
      return 0;
    }
    String scope = verified.acceptance().scope();
    out().printf("Verified %s%n  digest %s%n  policy %s%n", verified.reference(), verified.signedDigest(),
        scope.equals(verified.policy()) ? scope : verified.policy() + ", scope " + scope);
    for (SatisfiedRequirement requirement : verified.acceptance().requirements()) {
      out().printf("  %s%n", requirement.summary());
    }
    out().flush();
    return 0;
  }
}
