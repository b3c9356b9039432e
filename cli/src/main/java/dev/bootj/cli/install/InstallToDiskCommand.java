package dev.bootj.cli.install;

import dev.bootj.cli.options.ImageAccessOptions;
import dev.bootj.cli.options.OutputOptions;
import dev.bootj.cli.options.Privileges;
import dev.bootj.cli.options.PullPolicyOption;
import dev.bootj.cli.options.StoreOptions;
import dev.bootj.cli.output.Json;
import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.common.files.StagingArea;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.system.install.InstallReport;
import dev.bootj.system.install.InstallResult;
import dev.bootj.system.install.InstallService;
import dev.bootj.system.model.FilesystemType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bootj install to-disk}. */
@Command(
    name = "to-disk",
    mixinStandardHelpOptions = true,
    description = {
      "Install an OS image onto a whole disk or a disk image file.",
      "",
      "The disk gets a GPT with four partitions: an EFI system partition with systemd-boot"
          + " (taken from the image), root slots A and B, and a state partition that holds the"
          + " machine's /var. The image goes into slot A, which becomes the default boot entry;"
          + " slot B stays empty for the first update. The image's layers are also copied into the"
          + " machine's own image store (/var/lib/bootj/store), so its first update downloads only"
          + " the layers that changed.",
      "",
      "Before anything is written to TARGET, bootj checks that the tools it needs are installed,"
          + " that TARGET is big enough, that the image fits a slot and that it has a kernel, an"
          + " initramfs and systemd-boot. A disk that has partitions is refused unless --wipe is"
          + " given; a disk with anything mounted is always refused. No other device is touched.",
      "",
      "TARGET that does not exist is created as a sparse disk image file of --size bytes."
          + " Must run as root.",
      "",
      "The image may carry its own defaults for --filesystem, --slot-size, --esp-size, --karg,"
          + " --target-image and --enforce-container-sigpolicy in /usr/lib/bootj/install.d/*.toml, under an"
          + " [install] table with the options' names as keys; an option given here wins over the image's"
          + " value (kargs add up: kargs.d, then install.d, then --karg). 'bootj install print-configuration'"
          + " shows what an image carries. A malformed install.d file refuses the install, naming the file and the key."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  bootj install to-disk --image registry.example/os:1 --size 8G disk.img",
      "  bootj install to-disk --image oci-archive:/media/os.tar --target-image registry.example/os:stable \\",
      "      --filesystem xfs --slot-size 6G --esp-size 1G --karg console=ttyS0 --wipe /dev/vda"
    })
public final class InstallToDiskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TARGET", description = "A whole block device (e.g. /dev/vda) or a disk image file.")
  Path target;

  @Option(names = "--image", paramLabel = "IMAGE", required = true,
      description = "The OS image to install (see 'bootj image --help' for the forms).")
  String image;

  @Option(names = "--target-image", paramLabel = "IMAGE",
      description = "The registry reference the installed machine follows for its updates, when --image is read"
          + " from elsewhere (a local registry, an oci-archive: on a USB stick); as bootc's --target-imgref."
          + " The digest installed is --image's; status shows IMAGE. Default: the image's install.d, else --image.")
  String targetImage;

  @Option(names = "--wipe", description = "Overwrite a TARGET that already has partitions or a partition table.")
  boolean wipe;

  @Option(names = "--filesystem", paramLabel = "ext4|xfs",
      description = "Filesystem of the root slots and the state partition (default: the image's install.d, else ext4).")
  String filesystem;

  @Option(names = "--slot-size", paramLabel = "SIZE",
      description = "Size of each root slot, e.g. 8G (default: the image's install.d, else twice the image, at"
          + " least the image plus 1 GiB).")
  String slotSize;

  @Option(names = "--esp-size", paramLabel = "SIZE",
      description = "Size of the EFI system partition, e.g. 1G (default: the image's install.d, else 512M). At least"
          + " 34M, the smallest valid FAT32 volume, and room for the boot loader and two slots' kernel and initramfs.")
  String espSize;

  @Option(names = "--size", paramLabel = "SIZE",
      description = "Size of a disk image file that does not exist yet, e.g. 8G.")
  String size;

  @Option(names = "--karg", paramLabel = "ARG",
      description = "Kernel argument to add after the image's own (/usr/lib/bootj/kargs.d, then the kargs of its"
          + " install.d); repeatable.")
  List<String> kargs = new ArrayList<>();

  @Option(names = "--root-ssh-authorized-keys", paramLabel = "FILE",
      description = "Install FILE as root's ~/.ssh/authorized_keys.")
  Path sshKeys;

  @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
      description = "missing: use the stored image if this reference was pulled before (default);"
          + " always: resolve the reference again; never: only the store.")
  String pull;

  @Option(names = "--enforce-container-sigpolicy", negatable = true,
      description = "Refuse to install when the signature policy (--signature-policy, else"
          + " /etc/containers/policy.json) accepts the image without a signature, as bootc's flag does. Default: the"
          + " image's install.d, else no; --no-enforce-container-sigpolicy overrides an image that asks for it.")
  Boolean enforceSignaturePolicy;

  @Mixin ImageAccessOptions access;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Privileges.requireRoot("install to-disk partitions " + target + " and restores file owners");
    ImageReference reference = ImageReference.parse(image);
    if (sshKeys != null && !Files.isReadable(sshKeys)) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read the SSH keys file " + sshKeys);
    }
    // Options not given stay null: the image's install configuration then decides (InstallService).
    InstallService.Request request = new InstallService.Request(reference, PullPolicyOption.parse(pull), target,
        size == null ? null : ByteSize.parse(size), wipe, filesystem == null ? null : parseFilesystem(filesystem),
        slotSize == null ? null : ByteSize.parse(slotSize), espSize == null ? null : ByteSize.parse(espSize), kargs,
        sshKeys, enforceSignaturePolicy, targetImage == null ? null : ImageReference.parse(targetImage));
    PrintWriter err = spec.commandLine().getErr();
    InstallService.Outcome outcome = new InstallService(StoreOptions.of(spec).open(), access.toPullOptions(),
        output.progress(err), output.steps(err), StagingArea.defaultParent()).install(request);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Json.print(out, InstallReport.of(outcome));
      return 0;
    }
    InstallResult result = outcome.result();
    out.printf("Installed %s%n  digest %s%n  to %s, slot %s (default), kernel %s%n  boot entry \"%s\"%n",
        outcome.image().reference(), outcome.image().manifestDigest(), result.target(),
        result.slot().id().toUpperCase(Locale.ROOT), result.kernelVersion(), result.bootEntry().title());
    result.warnings().forEach(w -> out.println("  warning: " + w));
    out.flush();
    return 0;
  }

  private static FilesystemType parseFilesystem(String text) {
    try {
      return FilesystemType.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--filesystem takes ext4 or xfs, not '" + text + "'");
    }
  }
}
