package dev.bootj.it.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An image that carries its install configuration ({@code /usr/lib/bootj/install.d}): xfs, a slot
 * size, an ESP size and a karg, pushed to a real registry. {@code install print-configuration}
 * reads it from the registry image; {@code install to-disk} with no such option follows it, and
 * what it wrote is read back with tools that are not bootj's: sfdisk (partition sizes) and blkid
 * (filesystems), and with {@code status --disk}. An option on the command line wins. No VM.
 */
class InstallConfigurationIT {

  private static final String INSTALL_D = String.join("\n",
      "# the tiny OS's install defaults",
      "[install]",
      "filesystem = \"xfs\"",
      "slot-size = \"700M\"",
      "kargs = [\"from.install.d=1\"]",
      "");
  private static final String ESP_D = "[install]\nesp-size = \"100M\"\n";

  private static Path work;
  private static TestRegistry registry;
  private static String image;
  private static Path policy;

  @BeforeAll
  static void imageWithInstallConfiguration() throws Exception {
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "install-configuration-");
    registry = new TestRegistry();
    registry.start();
    TarBuilder config = new TarBuilder();
    config.dir("usr");
    config.dir("usr/lib");
    config.dir("usr/lib/bootj");
    config.dir("usr/lib/bootj/install.d");
    config.file("usr/lib/bootj/install.d/10-tiny.toml", INSTALL_D);
    config.file("usr/lib/bootj/install.d/20-esp.toml", ESP_D);
    Path layout = work.resolve("layout");
    OciLayoutWriter.write(layout, "1", List.of(OciLayoutWriter.Layer.gzip(TinyOs.baseLayer()),
        OciLayoutWriter.Layer.gzip(config.build())), Map.of("org.opencontainers.image.version", "1"));
    image = Skopeo.push(layout, "1", registry, "tiny/configured:1");
    policy = Files.writeString(work.resolve("policy.json"), TinyOs.ACCEPT_ANYTHING);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.stop();
    }
  }

  @Test
  void printConfigurationShowsWhatTheImageCarries() throws Exception {
    Bootj bootj = new Bootj(work.resolve("print-store"));
    Bootj.Result json = bootj.run("install", "print-configuration", "--image", image, "--signature-policy",
        policy.toString(), "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode record = CheckedJson.parse("install-configuration-v1", json.out());
    assertThat(record.get("install").get("filesystem").asText()).isEqualTo("xfs");
    assertThat(record.get("install").get("slot-size").asLong()).isEqualTo(700L << 20);
    assertThat(record.get("install").get("esp-size").asLong()).isEqualTo(100L << 20);
    assertThat(record.get("sources").get("esp-size").get(0).asText())
        .isEqualTo("/usr/lib/bootj/install.d/20-esp.toml");

    Bootj.Result text = bootj.run("install", "print-configuration", "--image", image, "--signature-policy",
        policy.toString());
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out()).contains("filesystem = \"xfs\"    # /usr/lib/bootj/install.d/10-tiny.toml",
        "slot-size = \"700M\"", "esp-size = \"100M\"    # /usr/lib/bootj/install.d/20-esp.toml");

    Bootj.Result refused = bootj.run("install", "print-configuration", "--image", image, "--signature-policy",
        Files.writeString(work.resolve("reject.json"), "{\"default\": [{\"type\": \"reject\"}]}").toString());
    assertThat(refused.exitCode()).as("the signature policy is honoured: %s", refused).isEqualTo(4);
  }

  @Test
  void toDiskFollowsTheImagesConfiguration() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "an xfs install uses loop devices: needs root");
    Path disk = work.resolve("configured.img");
    Bootj bootj = new Bootj(work.resolve("store"));
    Bootj.Result install = bootj.run("install", "to-disk", "--image", image, "--signature-policy", policy.toString(),
        "--size", "3G", "--karg", "quiet", disk.toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();

    JsonNode partitions = partitionTable(disk);
    assertThat(sizeBytes(partitions, 0)).as("ESP").isEqualTo(100L << 20);
    assertThat(sizeBytes(partitions, 1)).as("slot A").isEqualTo(700L << 20);
    assertThat(sizeBytes(partitions, 2)).as("slot B").isEqualTo(700L << 20);
    assertThat(filesystemAt(disk, partitions, 1)).isEqualTo("xfs");
    assertThat(filesystemAt(disk, partitions, 3)).as("state").isEqualTo("xfs");
    assertThat(filesystemAt(disk, partitions, 0)).as("ESP").isEqualTo("vfat");

    JsonNode slotA = bootj.diskStatus(disk).get("slots").get("a");
    assertThat(slotA.get("image").asText()).isEqualTo(image);
    assertThat(slotA.get("kernelOptions").asText()).endsWith(" rw console=ttyS0 from.install.d=1 quiet");
    Files.delete(disk);
  }

  @Test
  void anOptionOnTheCommandLineWins() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "install to-disk needs root");
    Path disk = work.resolve("overridden.img");
    Bootj bootj = new Bootj(work.resolve("store-ext4"));
    Bootj.Result install = bootj.run("install", "to-disk", "--image", image, "--signature-policy", policy.toString(),
        "--size", "3G", "--filesystem", "ext4", "--esp-size", "64M", disk.toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();

    JsonNode partitions = partitionTable(disk);
    assertThat(sizeBytes(partitions, 0)).as("ESP from --esp-size").isEqualTo(64L << 20);
    assertThat(sizeBytes(partitions, 1)).as("slot A from install.d").isEqualTo(700L << 20);
    assertThat(filesystemAt(disk, partitions, 1)).isEqualTo("ext4");
    Files.delete(disk);
  }

  private static JsonNode partitionTable(Path disk) throws Exception {
    return new ObjectMapper().readTree(Host.run("sfdisk", "--json", disk.toString()))
        .get("partitiontable").get("partitions");
  }

  private static long sizeBytes(JsonNode partitions, int index) {
    return partitions.get(index).get("size").asLong() * 512;
  }

  /** What blkid, probing at the partition's offset, says its filesystem is. */
  private static String filesystemAt(Path disk, JsonNode partitions, int index) throws Exception {
    long offset = partitions.get(index).get("start").asLong() * 512;
    return Host.run("blkid", "-p", "-O", String.valueOf(offset), "-o", "value", "-s", "TYPE", disk.toString()).strip();
  }
}
