package dev.bootj.system.install;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.BootjException;
import dev.bootj.common.testing.JsonSchemaCheck;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.OfflinePullOptions;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.system.host.Tool;
import dev.bootj.system.image.BootLoaderLocator;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.status.HostStatus;
import dev.bootj.system.status.StatusService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install service end to end without a registry: a tiny OS image in an OCI layout, installed
 * onto a new disk image file, then read back by the status service, whose record and the install
 * record must match their published schemas. Nothing here needs root.
 */
class InstallServiceTest {

  @TempDir Path dir;
  final List<String> steps = new ArrayList<>();
  BlobStore store;
  Path layout;

  @BeforeEach
  void tinyImageInALayout() throws Exception {
    for (Tool tool : List.of(Tool.SGDISK, Tool.MKFS_EXT4, Tool.DEBUGFS, Tool.MKFS_VFAT, Tool.MCOPY, Tool.MTYPE)) {
      assumeTrue(tool.locate().isPresent(), tool.program() + " is not installed");
    }
    TarBuilder os = new TarBuilder();
    os.dir("boot");
    os.file("boot/vmlinuz-6.1.0-50-amd64", "kernel");
    os.file("boot/initrd.img-6.1.0-50-amd64", "initramfs");
    os.file(BootLoaderLocator.IMAGE_PATH.substring(1), "systemd-boot");
    os.file("usr/lib/os-release", "PRETTY_NAME=\"Tiny OS 7\"\n");
    os.file("etc/hostname", "tiny\n");
    os.dir("var/lib");
    layout = dir.resolve("layout");
    OciLayoutWriter.write(layout, "7", List.of(OciLayoutWriter.Layer.gzip(os.build())),
        Map.of("org.opencontainers.image.version", "7"));
    store = BlobStore.open(dir.resolve("store"));
  }

  private static final String ACCEPT_ANYTHING = "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}";

  private InstallService service() throws Exception {
    return service(ACCEPT_ANYTHING);
  }

  /** With a signature policy file of the test's own, so the host's /etc/containers/policy.json plays no part. */
  private InstallService service(String policyJson) throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.json"), policyJson);
    PullOptions options = OfflinePullOptions.under(TrustPolicy.of(policy, dir.resolve("registries.d")));
    return new InstallService(store, options, ProgressListener.NONE, steps::add, dir.resolve("staging"));
  }

  @Test
  void installsTheImageAndStatusReadsItBack() throws Exception {
    Path disk = dir.resolve("disk.img");
    InstallService.Outcome outcome = service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, FilesystemType.EXT4,
        null, List.of("quiet"), null, false));

    assertThat(outcome.result().bootEntry().title()).startsWith("Tiny OS 7 (");
    assertThat(steps).anyMatch(s -> s.startsWith("Partitioning"));
    try (Stream<Path> left = Files.list(dir.resolve("staging"))) {
      assertThat(left).as("the staging directory is removed").isEmpty();
    }
    HostStatus status = new StatusService().status(disk);
    assertThat(status.spec().image()).isEqualTo(outcome.image().reference());
    assertThat(status.status().defaultSlot()).isEqualTo("a");
    assertThat(status.status().slots().get("a").digest()).isEqualTo(outcome.image().manifestDigest().toString());
    assertThat(status.status().slots().get("a").version()).isEqualTo("7");
    assertThat(status.status().slots().get("a").kernelOptions()).endsWith(" rw quiet");
    assertThat(status.status().slots().get("b").empty()).isTrue();
    assertThat(status.status().slots().get("a").signature().requirements())
        .extracting(r -> r.type()).containsExactly("insecureAcceptAnything");

    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    ObjectMapper json = new ObjectMapper();
    assertThat(JsonSchemaCheck.errors("host-v1", json.writeValueAsString(status))).isEmpty();
    assertThat(JsonSchemaCheck.errors("install-v1", json.writeValueAsString(InstallReport.of(outcome)))).isEmpty();
  }

  @Test
  void aRefusedInstallWritesNothingAndLeavesNoStaging() throws Exception {
    Path disk = dir.resolve("small.img");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 64L << 20, false,
        FilesystemType.EXT4, null, List.of(), null, false)))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("too small");
    assertThat(disk).doesNotExist();
    try (Stream<Path> left = Files.list(dir.resolve("staging"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void anImageThePolicyRejectsIsRefusedBeforeAnythingIsStoredOrWritten() throws Exception {
    Path disk = dir.resolve("rejected.img");
    assertThatThrownBy(() -> service("{\"default\": [{\"type\": \"reject\"}]}").install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false,
        FilesystemType.EXT4, null, List.of(), null, false)))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("rejects every image")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(disk).doesNotExist();
    try (Stream<Path> blobs = Files.walk(store.root())) {
      assertThat(blobs.filter(Files::isRegularFile).map(Path::toString))
          .as("no blob of the refused image is kept").noneMatch(p -> p.contains("/blobs/"));
    }
  }

  @Test
  void enforcingTheSignaturePolicyRefusesAPolicyThatAcceptsUnsignedImages() throws Exception {
    Path disk = dir.resolve("enforced.img");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false,
        FilesystemType.EXT4, null, List.of(), null, true)))
        .isInstanceOf(BootjException.class)
        .hasMessageStartingWith("--enforce-container-sigpolicy: the signature policy " + dir.resolve("policy.json"))
        .hasMessageContaining("insecureAcceptAnything")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(disk).doesNotExist();
  }

  @Test
  void aTargetImageIsWhatTheMachineFollowsWithTheDigestItWasInstalledFrom() throws Exception {
    Path disk = dir.resolve("target.img");
    InstallService.Outcome outcome = service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, FilesystemType.EXT4,
        null, List.of(), null, false, ImageReference.parse("registry.example/os:stable")));
    HostStatus status = new StatusService().status(disk);
    assertThat(status.spec().image()).isEqualTo("registry.example/os:stable");
    assertThat(status.spec().pinned()).isFalse();
    assertThat(status.status().slots().get("a").digest()).isEqualTo(outcome.image().manifestDigest().toString());
  }

  @Test
  void aTargetImageOutsideARegistryOrWithAnotherDigestIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path disk = dir.resolve("refused-target.img");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, FilesystemType.EXT4,
        null, List.of(), null, false, ImageReference.parse("oci:" + layout + ":7"))))
        .isInstanceOf(BootjException.class).hasMessageContaining("is not in a registry");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, FilesystemType.EXT4,
        null, List.of(), null, false, ImageReference.parse("registry.example/os@sha256:" + "ab".repeat(32)))))
        .isInstanceOf(BootjException.class).hasMessageContaining("names another digest");
    assertThat(disk).doesNotExist();
  }

  @Test
  void aWarningIsPrintedWithOnePrefixAndRecordedWithNone() throws Exception {
    TarBuilder os = new TarBuilder();
    os.file("boot/vmlinuz-6.1.0-50-amd64", "kernel");
    os.file("boot/initrd.img-6.1.0-50-amd64", "initramfs");
    os.file("usr/lib/os-release", "PRETTY_NAME=\"Tiny OS 8\"\n");
    Path withoutLoader = dir.resolve("without-loader");
    OciLayoutWriter.write(withoutLoader, "8", List.of(OciLayoutWriter.Layer.gzip(os.build())));
    // The image has no systemd-boot: this host's (a fake one) is taken, with a warning.
    Path host = dir.resolve("host");
    Path hostLoader = host.resolve(BootLoaderLocator.IMAGE_PATH.substring(1));
    Files.createDirectories(hostLoader.getParent());
    Files.writeString(hostLoader, "host systemd-boot");
    Preflight preflight = new Preflight(new dev.bootj.system.disk.TargetInspector(),
        new BootLoaderLocator(host), tool -> tool.locate().isPresent(), new dev.bootj.system.host.CommandRunner());
    Path policy = Files.writeString(dir.resolve("policy.json"), ACCEPT_ANYTHING);
    PullOptions options = OfflinePullOptions.under(TrustPolicy.of(policy, dir.resolve("registries.d")));
    InstallService service = new InstallService(store, options, ProgressListener.NONE, steps::add,
        dir.resolve("staging"), new DiskInstaller(new dev.bootj.system.host.CommandRunner(), preflight,
        java.time.Clock.systemUTC()));

    InstallService.Outcome outcome = service.install(new InstallService.Request(
        ImageReference.parse("oci:" + withoutLoader + ":8"), PullPolicy.MISSING, dir.resolve("warned.img"), 2 * GIB,
        false, FilesystemType.EXT4, null, List.of(), null, false));

    String warning = "the image has no " + BootLoaderLocator.IMAGE_PATH + "; using this machine's " + hostLoader
        + " (add systemd-boot-efi to the image so its boot loader matches its systemd)";
    assertThat(outcome.result().warnings()).containsExactly(warning);
    assertThat(steps.stream().filter(s -> s.contains("warning"))).containsExactly("warning: " + warning);
  }

  /** Tiny OS 7 with an install.d layer on top: the image's own install configuration. */
  private Path imageWithInstallConfiguration(String toml) throws Exception {
    TarBuilder os = new TarBuilder();
    os.dir("boot");
    os.file("boot/vmlinuz-6.1.0-50-amd64", "kernel");
    os.file("boot/initrd.img-6.1.0-50-amd64", "initramfs");
    os.file(BootLoaderLocator.IMAGE_PATH.substring(1), "systemd-boot");
    os.file("usr/lib/os-release", "PRETTY_NAME=\"Tiny OS 7\"\n");
    os.file("usr/lib/bootj/kargs.d/10-console.toml", "kargs = [\"console=ttyS0\"]\n");
    TarBuilder config = new TarBuilder();
    config.dir("usr");
    config.dir("usr/lib");
    config.dir("usr/lib/bootj");
    config.dir("usr/lib/bootj/install.d");
    config.file("usr/lib/bootj/install.d/50-tiny.toml", toml);
    Path configured = dir.resolve("configured");
    OciLayoutWriter.write(configured, "7", List.of(OciLayoutWriter.Layer.gzip(os.build()),
        OciLayoutWriter.Layer.gzip(config.build())), Map.of("org.opencontainers.image.version", "7"));
    return configured;
  }

  /**
   * The image asks for its slot and ESP sizes and a karg; the command line adds a karg of its own.
   * sfdisk, not bootj, reads the partition sizes back.
   */
  @Test
  void theImagesInstallConfigurationShapesTheDiskAndTheCommandLineAddsToIt() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sfdisk")), "sfdisk is not installed");
    Path image = imageWithInstallConfiguration(
        "[install]\nslot-size = \"600M\"\nesp-size = \"64M\"\nkargs = [\"from.image=1\"]\n");
    Path disk = dir.resolve("configured.img");
    service().install(new InstallService.Request(ImageReference.parse("oci:" + image + ":7"), PullPolicy.MISSING,
        disk, 3 * GIB, false, null, null, null, List.of("quiet"), null, null, null));

    assertThat(steps).anyMatch(s -> s.startsWith("Install configuration from the image (/usr/lib/bootj/install.d/50-tiny.toml)"));
    JsonNode table = new ObjectMapper().readTree(new dev.bootj.system.host.CommandRunner().run(
        dev.bootj.system.host.CommandRunner.Command.of(java.time.Duration.ofMinutes(1), "/usr/sbin/sfdisk", "--json",
            disk.toString()))).get("partitiontable");
    long sector = table.path("sectorsize").asLong(512);
    JsonNode partitions = table.get("partitions");
    assertThat(partitions.get(0).get("size").asLong() * sector).as("ESP").isEqualTo(64 * MIB);
    assertThat(partitions.get(1).get("size").asLong() * sector).as("slot A").isEqualTo(600 * MIB);
    assertThat(partitions.get(2).get("size").asLong() * sector).as("slot B").isEqualTo(600 * MIB);
    HostStatus status = new StatusService().status(disk);
    assertThat(status.status().slots().get("a").kernelOptions()).endsWith(" rw console=ttyS0 from.image=1 quiet");
  }

  @Test
  void anOptionGivenOnTheCommandLineWinsOverTheImages() throws Exception {
    Path image = imageWithInstallConfiguration("[install]\nslot-size = \"600M\"\n");
    Path disk = dir.resolve("overridden.img");
    InstallService.Outcome outcome = service().install(new InstallService.Request(
        ImageReference.parse("oci:" + image + ":7"), PullPolicy.MISSING, disk, 3 * GIB, false, null, 700 * MIB, null,
        List.of(), null, null, null));
    assertThat(outcome.result().layout().slotSizeBytes()).isEqualTo(700 * MIB);
    assertThat(outcome.result().layout().esp().sizeBytes()).isEqualTo(512 * MIB);
  }

  @Test
  void anImageThatAsksForTheSignaturePolicyIsRefusedUnsignedUnlessTheCommandLineSaysNo() throws Exception {
    Path image = imageWithInstallConfiguration("[install]\nenforce-container-sigpolicy = true\n");
    Path disk = dir.resolve("image-enforced.img");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + image + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, null, null, null,
        List.of(), null, null, null)))
        .isInstanceOf(BootjException.class)
        .hasMessageStartingWith("enforce-container-sigpolicy in /usr/lib/bootj/install.d/50-tiny.toml: the signature policy")
        .hasMessageContaining("give --no-enforce-container-sigpolicy")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(disk).doesNotExist();

    service().install(new InstallService.Request(ImageReference.parse("oci:" + image + ":7"), PullPolicy.MISSING,
        disk, 2 * GIB, false, null, null, null, List.of(), null, false, null));
    assertThat(disk).exists();
  }

  @Test
  void aBadInstallConfigurationRefusesTheInstallBeforeAnythingIsWritten() throws Exception {
    Path image = imageWithInstallConfiguration("[install]\nfilesystem = \"zfs\"\n");
    Path disk = dir.resolve("bad-config.img");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + image + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, null, null, null,
        List.of(), null, null, null)))
        .isInstanceOf(BootjException.class)
        .hasMessage("/usr/lib/bootj/install.d/50-tiny.toml: 'install.filesystem' must be \"ext4\" or \"xfs\", not"
            + " \"zfs\"; fix the file in the image");
    assertThat(disk).doesNotExist();
  }

  @Test
  void anEspTooSmallForTheBootFilesIsRefused() throws Exception {
    Path disk = dir.resolve("small-esp.img");
    assertThatThrownBy(() -> service().install(new InstallService.Request(
        ImageReference.parse("oci:" + layout + ":7"), PullPolicy.MISSING, disk, 2 * GIB, false, null, null,
        16 * MIB, List.of(), null, null, null)))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("an ESP of 16 MiB is smaller than the smallest FAT32 volume bootj makes (34 MiB)");
    assertThat(disk).doesNotExist();
  }
}
