package dev.bootj.it.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.Docker;
import dev.bootj.it.support.GuestShell;
import dev.bootj.it.support.QemuBoot;
import dev.bootj.it.support.QemuMachine;
import dev.bootj.it.support.RunningMachine;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestLayer;
import dev.bootj.it.support.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The update workflow on a real machine, across real reboots in QEMU: install v1 from the host's
 * name of the test registry with {@code --target-image} naming the tag the guest follows (stable,
 * through 10.0.2.2), boot it, change /etc and /var inside it, {@code bootj upgrade} to v2 (stable
 * moved there) and reboot into it. Then the machine is left
 * to itself: its update timer (shortened by a drop-in) runs {@code bootj auto-update} in mode
 * apply. Stable moves to a v3 whose health check fails boot-complete.target: the machine stages it
 * (patching its other slot in place), reboots into it, and after three failed tries systemd-boot
 * brings back v2; the next cycles do not stage v3 again and say why. Stable moves to v4: the
 * machine stages it and reboots into it by itself. Last, the power goes, the host resets the disk
 * ({@code bootj reset --disk --wipe-var}) and boots it: v4's /etc as shipped, a new machine-id, /var
 * made anew from the image; {@code bootj rollback} in the guest brings back the machine's /etc.
 *
 * <p>The chain of trust rides along without a boot of its own: v1 carries a signature policy that
 * requires a cosign signature by the test's key for the guest's name of the registry, and the host
 * signs v1, v2 and v3 with that key ({@code bootj image sign}). The installed machine follows its
 * own policy: it refuses an unsigned image (exit 4, nothing staged) and accepts the signed v2 and
 * v3, and its status names the key that accepted each slot.
 */
@QemuBoot
class UpdateBootIT {

  private static final String BASE_IMAGE = "bootj-base:bookworm";
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  // A boot takes 1-2 minutes under TCG; on a loaded host the kernel alone took over 3.
  private static final Duration BOOT = Duration.ofMinutes(10);
  private static final Duration COMMAND = Duration.ofMinutes(2);
  private static final Duration STAGE = Duration.ofMinutes(20);
  private static final String JVM_CRASH = "A fatal error has been detected by the Java Runtime Environment";

  /** Whether {@link #guest} had to run its last command again after the guest's JVM crashed. */
  private static boolean lastCommandRanTwice;

  /** The machine's identity before its factory reset. */
  private String machineId;

  private Path work;
  private TestRegistry registry;
  /** The host's bootj, with its own store: builds nothing, but installs, makes the key and signs. */
  private Bootj bootj;
  private Path signingKey;
  private Path passphraseFile;
  /** The SHA-256 of the public key's DER SubjectPublicKeyInfo, as status reports the key. */
  private String keyFingerprint;

  @BeforeEach
  void prerequisites() throws Exception {
    QemuMachine.assumeInstallAndBoot();
    assertThat(Docker.hasImage(BASE_IMAGE))
        .as("the Docker image %s is missing; scripts/test builds it before the tests", BASE_IMAGE).isTrue();
    assertThat(REPO.resolve("cli/target/bootj.jar")).as("the bootj jar must be built before the integration tests").exists();
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "update-boot-");
    registry = new TestRegistry();
    registry.start();
    bootj = new Bootj(work.resolve("store"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (registry != null) {
      registry.stop();
    }
    if (work != null) {
      Files.deleteIfExists(work.resolve("disk.img"));
    }
  }

  @Test
  void switchRollbackAndAutomaticFallbackAcrossReboots() throws Exception {
    String guestRegistry = "10.0.2.2:" + registry.hostPort();
    generateSigningKey();
    String v1 = buildImages(guestRegistry);
    Path disk = work.resolve("disk.img");
    // The host installs under its own policy, which requires the same key under the host's name.
    Path hostTrust = writeHostTrust();
    // 7G: a switch needs room on /var for the image unpacked (bootj reckons three times its
    // compressed size); with 6G, /var had 887 MiB free where 939 MiB were needed.
    String stable = guestRegistry + "/bootj/os:stable";
    Bootj.Result install = bootj.run("install", "to-disk", "--image", v1, "--target-image", stable, "--size", "7G",
        "--signature-policy", hostTrust.resolve("policy.json").toString(),
        "--registries.d", hostTrust.resolve("registries.d").toString(),
        // no_timer_check: under TCG on a loaded host the kernel's early timer check can fail and panic.
        "--karg", "bootj.test=1", "--karg", "no_timer_check", disk.toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();

    try (RunningMachine machine = new QemuMachine(work).start(disk)) {
      machine.awaitReady(BOOT);
      assertThat(guest(machine, "cat /usr/share/it-version")).isEqualTo("1");

      // The machine's own life: /etc edited, added to and deleted from; data under /var.
      guest(machine, "echo edited-by-user >/etc/it-user-edits.conf && echo mine >/etc/it-user-added.conf"
          + " && rm /etc/it-user-deletes.conf && echo keep-me >/var/lib/it-data");
      assertThat(guest(machine, "bootj config-diff")).contains("/etc/it-user-edits.conf", "/etc/it-user-added.conf",
          "/etc/it-user-deletes.conf");

      // The machine's own policy (from v1) refuses an image nobody signed, before it stages anything.
      GuestShell.Result unsigned = guestResult(machine, STAGE,
          "bootj switch --tls-verify=false " + guestRegistry + "/bootj/os:2-unsigned");
      assertThat(unsigned.exitCode()).as("the unsigned switch in the guest:%n%s", unsigned.output()).isEqualTo(4);
      assertThat(unsigned.output().strip()).as("one line").doesNotContain("\n")
          .contains("scope docker: " + guestRegistry + "/bootj/os", "no signature");
      assertThat(status(machine).get("staged").isNull()).as("nothing staged after the refusal").isTrue();

      // The machine follows the --target-image tag, which the publisher moves to v2. The layers
      // of v1 came with the install: only v2's own is fetched.
      JsonNode followed = status(machine);
      assertThat(followed.get("slots").get("a").get("image").asText()).isEqualTo(stable);
      Skopeo.retag(registry.reference("bootj/os:2"), registry.reference("bootj/os:stable"));
      JsonNode switched = CheckedJson.parse("update-v1", guest(machine, STAGE, "bootj upgrade --tls-verify=false --json"));
      assertThat(switched.get("slot").asText()).isEqualTo("b");
      assertThat(switched.get("reference").asText()).isEqualTo(stable);
      // A switch run again after a JVM crash finds the layer the crashed run already stored.
      int downloaded = switched.get("layersDownloaded").asInt();
      if (lastCommandRanTwice) {
        assertThat(downloaded).isBetween(0, 1);
      } else {
        assertThat(downloaded).isEqualTo(1);
      }
      JsonNode staged = status(machine);
      assertThat(staged.get("booted").asText()).isEqualTo("a");
      assertAcceptedByKey(staged.get("slots").get("a"), "docker: " + registry.hostAndPort() + "/bootj/os");
      assertThat(staged.get("staged").asText()).isEqualTo("b");
      assertThat(staged.get("slots").get("b").get("bootCounter").get("state").asText()).isEqualTo("trying");

      machine.reboot(BOOT);
      assertThat(guest(machine, "cat /usr/share/it-version")).isEqualTo("2");
      String cmdline = guest(machine, "cat /proc/cmdline");
      assertThat(cmdline).contains("console=ttyS0,115200 it.version=2 bootj.test=1 no_timer_check");
      assertThat(guest(machine, "cat /etc/it-user-edits.conf")).isEqualTo("edited-by-user");
      assertThat(guest(machine, "cat /etc/it-user-added.conf")).isEqualTo("mine");
      assertThat(guest(machine, "test -e /etc/it-user-deletes.conf && echo present || echo absent")).isEqualTo("absent");
      assertThat(guest(machine, "cat /etc/it-image-default.conf")).isEqualTo("v2 default");
      assertThat(guest(machine, "cat /etc/it-new-in-v2.conf")).isEqualTo("new in v2");
      assertThat(guest(machine, "cat /var/lib/it-data")).isEqualTo("keep-me");
      JsonNode onTwo = awaitBlessed(machine, "b");
      assertThat(onTwo.get("booted").asText()).isEqualTo("b");
      assertThat(onTwo.get("rollback").asText()).isEqualTo("a");
      assertThat(onTwo.get("slots").get("b").get("version").asText()).isEqualTo("2");
      assertAcceptedByKey(onTwo.get("slots").get("b"), "docker: " + guestRegistry + "/bootj/os");

      // Left to itself: the update timer runs a cycle 20 s after it starts (at boot, or the restart
      // below) and a minute after each. One empty assignment resets all of the timer's times: a
      // second one (OnUnitInactiveSec=) would drop OnActiveSec again, and the timer never fires.
      // A persistent journal, so that the cycles of earlier boots can be read afterwards.
      guest(machine, "mkdir -p /var/log/journal && systemd-tmpfiles --create --prefix /var/log/journal"
          + " && journalctl --flush");
      guest(machine, "mkdir -p /etc/bootj /etc/systemd/system/bootj-update.timer.d"
          + " && printf 'mode = \"apply\"\\n' >/etc/bootj/update.toml"
          + " && printf '[[registry]]\\nlocation = \"" + guestRegistry + "\"\\ninsecure = true\\n'"
          + " >>/etc/containers/registries.conf"
          + " && printf '[Timer]\\nOnBootSec=\\nOnActiveSec=20s\\nOnUnitInactiveSec=60s\\n"
          + "RandomizedDelaySec=0\\n' >/etc/systemd/system/bootj-update.timer.d/10-it.conf"
          + " && systemctl daemon-reload && systemctl restart bootj-update.timer");
      assertThat(guest(machine, "systemctl is-enabled bootj-update.timer")).isEqualTo("enabled");

      // A v3 that never reaches boot-complete.target: the machine stages it (slot A holds v1, whose
      // layer listings came with the install: it is patched in place) and reboots into it; three
      // tries, then back to v2 unaided.
      Skopeo.retag(registry.reference("bootj/os:3"), registry.reference("bootj/os:stable"));
      machine.awaitRebootBySelf(STAGE.plus(BOOT));
      String fellBack = followBootsUntilVersion(machine, "2", 5);
      assertThat(fellBack).isEqualTo("2");
      JsonNode after = status(machine);
      assertThat(after.get("booted").asText()).isEqualTo("b");
      assertThat(after.get("rollbackHappened").get("failedSlot").asText()).isEqualTo("a");
      assertThat(after.get("rollbackHappened").get("failedVersion").asText()).isEqualTo("3");
      assertThat(after.get("slots").get("a").get("bootCounter").get("state").asText()).isEqualTo("failed");
      String v3Digest = after.get("rollbackHappened").get("failedDigest").asText();
      assertThat(guest(machine, "bootj status")).contains("Rollback happened: slot A");
      assertThat(machine.console()).contains("it-health-check");
      // Staged by patching, not by a full write, and by the timer's service.
      assertThat(guest(machine, "journalctl -u bootj-update.service -o cat --no-pager"))
          .contains("Reading the file lists of the new image and of the one slot A holds")
          .doesNotContain("in full:");

      // The cycles after the fallback remember v3's digest and leave it alone, and say so.
      JsonNode skipped = awaitCycle(machine, "skipped-failed-digest");
      assertThat(skipped.get("autoUpdate").get("lastCycle").get("digest").asText()).isEqualTo(v3Digest);
      assertThat(skipped.get("autoUpdate").get("failedDigests").get(0).get("digest").asText()).isEqualTo(v3Digest);
      assertThat(skipped.get("default").asText()).as("nothing staged").isEqualTo("b");
      assertThat(guest(machine, "bootj status")).contains("never staged again: " + v3Digest);
      assertThat(guest(machine, "journalctl -o cat --no-pager MESSAGE_ID=1da03f2b6a414ef0bcaa987e66fc9e41"))
          .contains(v3Digest).contains("failed to boot");

      // A fixed v4: the machine stages it into slot A and reboots into it by itself.
      Skopeo.retag(registry.reference("bootj/os:4"), registry.reference("bootj/os:stable"));
      machine.awaitRebootBySelf(STAGE.plus(BOOT));
      assertThat(guest(machine, "cat /usr/share/it-version")).isEqualTo("4");
      JsonNode onFour = awaitBlessed(machine, "a");
      assertThat(onFour.get("booted").asText()).isEqualTo("a");
      assertThat(onFour.get("slots").get("a").get("version").asText()).isEqualTo("4");
      assertThat(onFour.get("slots").get("a").get("image").asText()).isEqualTo(stable);
      assertThat(guest(machine, "cat /etc/it-user-edits.conf")).isEqualTo("edited-by-user");
      assertThat(machine.console()).contains("it-health-check");
      machineId = guest(machine, "cat /etc/machine-id");
      assertThat(guest(machine, "cat /var/lib/it-data")).isEqualTo("keep-me");
      // Then the power goes: what is on the disk is what the sync left.
      guest(machine, "sync");
    }

    // A factory reset of the disk, from the host and from the disk's own store (no registry):
    // slot B gets v4 again with v4's /etc, an empty machine-id, and /var made anew at its boot.
    registry.stop();
    registry = null;
    Bootj.Result reset = bootj.run("reset", "--disk", disk.toString(), "--wipe-var", "--acknowledge-destructive",
        "--json");
    assertThat(reset.exitCode()).as(reset.toString()).isZero();
    JsonNode resetReport = CheckedJson.parse("reset-v1", reset.out());
    assertThat(resetReport.get("slot").asText()).isEqualTo("b");
    assertThat(resetReport.get("rollbackSlot").asText()).isEqualTo("a");
    assertThat(resetReport.get("version").asText()).isEqualTo("4");
    try (RunningMachine machine = new QemuMachine(work).start(disk)) {
      machine.awaitReady(BOOT);
      assertThat(guest(machine, "cat /usr/share/it-version")).isEqualTo("4");
      assertThat(guest(machine, "cat /etc/it-user-edits.conf")).isEqualTo("edit-me");
      assertThat(guest(machine, "test -e /etc/it-user-added.conf && echo present || echo absent")).isEqualTo("absent");
      assertThat(guest(machine, "cat /etc/it-user-deletes.conf")).isEqualTo("delete-me");
      assertThat(guest(machine, "test -e /etc/bootj/update.toml && echo present || echo absent")).isEqualTo("absent");
      String newId = guest(machine, "cat /etc/machine-id");
      assertThat(newId).matches("[0-9a-f]{32}").isNotEqualTo(machineId);
      // /var holds the image's seed and bootj's record of the slots, nothing of the machine's.
      assertThat(guest(machine, "test -e /var/lib/it-data && echo present || echo absent")).isEqualTo("absent");
      assertThat(guest(machine, "test -s /var/lib/dpkg/status && echo seeded")).isEqualTo("seeded");
      assertThat(guest(machine, "test -e /.bootj-reset && echo present || echo absent")).isEqualTo("absent");
      assertThat(guest(machine, "journalctl -b -u bootj-reset-var.service -o cat --no-pager"))
          .contains("was recreated from the image");
      JsonNode onReset = awaitBlessed(machine, "b");
      assertThat(onReset.get("booted").asText()).isEqualTo("b");
      assertThat(onReset.get("rollback").asText()).isEqualTo("a");
      assertThat(onReset.get("slots").get("b").get("version").asText()).isEqualTo("4");
      assertThat(onReset.get("slots").get("a").get("version").asText()).as("the record of the slots came through")
          .isEqualTo("4");

      // Rollback: the slot the machine ran, with the machine's /etc and identity (/var stays new).
      machine.rebootBy("bootj rollback --apply", BOOT);
      assertThat(status(machine).get("booted").asText()).isEqualTo("a");
      assertThat(guest(machine, "cat /etc/it-user-edits.conf")).isEqualTo("edited-by-user");
      assertThat(guest(machine, "cat /etc/it-user-added.conf")).isEqualTo("mine");
      assertThat(guest(machine, "cat /etc/machine-id")).isEqualTo(machineId);
    }
  }

  /**
   * v1: the example OS with the guest shell, a few /etc files and its signature policy; v2 on top
   * of it: one layer with a new kernel argument, changed and new /etc defaults; v3 on top of v2: a
   * required health check that fails, and reboots the machine, as a real one would; v4 on top of
   * v2: the fix. All four are signed; 2-unsigned, v2 with one more label (so another digest), is not.
   */
  private String buildImages(String guestRegistry) throws Exception {
    String example = registry.reference("bootj/example:it");
    Docker.build(REPO, REPO.resolve("Containerfile.example"), example, List.of("BASE=" + BASE_IMAGE, "VERSION=it"));
    String v1 = registry.reference("bootj/os:1");
    Path one = work.resolve("v1");
    Path shell = GuestShell.layer().plus(guestTrust(guestRegistry)).writeImageContext(one, example);
    Files.writeString(shell, Files.readString(shell) + String.join("\n",
        "LABEL org.opencontainers.image.version=1",
        "RUN mkdir -p /usr/share && echo 1 >/usr/share/it-version && echo edit-me >/etc/it-user-edits.conf"
            + " && echo delete-me >/etc/it-user-deletes.conf && echo 'v1 default' >/etc/it-image-default.conf",
        ""));
    Docker.build(one, shell, v1, List.of());
    Docker.push(v1);
    sign(v1);

    String v2 = registry.reference("bootj/os:2");
    Path two = Files.createDirectories(work.resolve("v2"));
    Files.writeString(two.resolve("Containerfile"), String.join("\n",
        "FROM " + v1,
        "LABEL org.opencontainers.image.version=2",
        "RUN echo 2 >/usr/share/it-version && echo 'v2 default' >/etc/it-image-default.conf"
            + " && echo 'new in v2' >/etc/it-new-in-v2.conf"
            + " && printf 'kargs = [\"it.version=2\"]\\n' >/usr/lib/bootj/kargs.d/50-it.toml",
        ""));
    Docker.build(two, two.resolve("Containerfile"), v2, List.of());
    Docker.push(v2);
    sign(v2);

    String unsigned = registry.reference("bootj/os:2-unsigned");
    Path twoUnsigned = Files.createDirectories(work.resolve("v2-unsigned"));
    Files.writeString(twoUnsigned.resolve("Containerfile"), "FROM " + v2 + "\nLABEL dev.bootj.it.signed=no\n");
    Docker.build(twoUnsigned, twoUnsigned.resolve("Containerfile"), unsigned, List.of());
    Docker.push(unsigned);

    String v3 = registry.reference("bootj/os:3");
    Path three = Files.createDirectories(work.resolve("v3"));
    Files.writeString(three.resolve("it-health-check.service"), String.join("\n",
        "[Unit]",
        "Description=it-health-check: a required check that fails",
        "Before=boot-complete.target",
        "FailureAction=reboot",
        "[Service]",
        "Type=oneshot",
        "ExecStart=/bin/sh -c 'echo it-health-check failed; exit 1'",
        "StandardOutput=journal+console",
        "[Install]",
        "RequiredBy=boot-complete.target",
        ""));
    Files.writeString(three.resolve("Containerfile"), String.join("\n",
        "FROM " + v2,
        "LABEL org.opencontainers.image.version=3",
        "COPY it-health-check.service /etc/systemd/system/it-health-check.service",
        "RUN echo 3 >/usr/share/it-version && systemctl enable it-health-check.service",
        ""));
    Docker.build(three, three.resolve("Containerfile"), v3, List.of());
    Docker.push(v3);
    sign(v3);

    String v4 = registry.reference("bootj/os:4");
    Path four = Files.createDirectories(work.resolve("v4"));
    Files.writeString(four.resolve("Containerfile"), String.join("\n",
        "FROM " + v2,
        "LABEL org.opencontainers.image.version=4",
        "RUN echo 4 >/usr/share/it-version",
        ""));
    Docker.build(four, four.resolve("Containerfile"), v4, List.of());
    Docker.push(v4);
    sign(v4);
    return v1;
  }

  /** {@code bootj image generate-key}; its fingerprint is checked against the public key's own bytes. */
  private void generateSigningKey() throws Exception {
    passphraseFile = work.resolve("passphrase");
    Files.writeString(passphraseFile, "it-passphrase\n");
    Bootj.Result generated = bootj.run("image", "generate-key", "--json", "--output-prefix", work.resolve("it").toString(),
        "--passphrase-file", passphraseFile.toString());
    assertThat(generated.exitCode()).as(generated.toString()).isZero();
    JsonNode key = CheckedJson.parse("generate-key-v1", generated.out());
    signingKey = Path.of(key.get("privateKey").asText());
    keyFingerprint = key.get("publicKeySha256").asText();
    assertThat(keyFingerprint).isEqualTo(sha256OfPem(Path.of(key.get("publicKey").asText())));
  }

  /** {@code bootj image sign}: the cosign signature lands in the registry's .sig tag, under the host's name. */
  private void sign(String image) {
    Bootj.Result signed = bootj.run("image", "sign", "--key", signingKey.toString(), "--passphrase-file",
        passphraseFile.toString(), image);
    assertThat(signed.exitCode()).as(signed.toString()).isZero();
  }

  /**
   * What v1 carries in /etc/containers: reject every image but those of the test registry, as the
   * guest names it, signed with the test key. The host signs under its own name for the registry,
   * localhost:PORT, which the signatures therefore name: exactRepository accepts that.
   */
  private TestLayer guestTrust(String guestRegistry) throws Exception {
    String policy = String.join("\n",
        "{",
        "  \"default\": [{\"type\": \"reject\"}],",
        "  \"transports\": {\"docker\": {\"" + guestRegistry + "/bootj/os\": [{",
        "    \"type\": \"sigstoreSigned\",",
        "    \"keyPath\": \"/etc/containers/keys/it.pub\",",
        "    \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\": \""
            + registry.hostAndPort() + "/bootj/os\"}",
        "  }]}}",
        "}",
        "");
    String registriesD = "docker:\n  \"" + guestRegistry + "\":\n    use-sigstore-attachments: true\n";
    return new TestLayer(List.of(
        new TestLayer.LayerFile("/etc/containers/policy.json", policy, false),
        new TestLayer.LayerFile("/etc/containers/keys/it.pub", Files.readString(publicKey()), false),
        new TestLayer.LayerFile("/etc/containers/registries.d/it.yaml", registriesD, false)), List.of());
  }

  /** The host's policy for the install: the same key, for the registry under the host's name. */
  private Path writeHostTrust() throws Exception {
    Path trust = Files.createDirectories(work.resolve("host-trust"));
    Files.writeString(trust.resolve("policy.json"), "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\""
        + registry.hostAndPort() + "/bootj/os\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"" + publicKey()
        + "\", \"signedIdentity\": {\"type\": \"matchRepository\"}}]}}}\n");
    Path registriesD = Files.createDirectories(trust.resolve("registries.d"));
    Files.writeString(registriesD.resolve("it.yaml"), "docker:\n  \"" + registry.hostAndPort()
        + "\":\n    use-sigstore-attachments: true\n");
    return trust;
  }

  private Path publicKey() {
    return signingKey.resolveSibling("it.pub");
  }

  /** The lowercase hex SHA-256 of the DER a PEM public key file holds. */
  private static String sha256OfPem(Path pem) throws Exception {
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "");
    byte[] der = Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
  }

  /** A slot's image was accepted by the test key's signature under {@code scope}. */
  private void assertAcceptedByKey(JsonNode slot, String scope) {
    JsonNode signature = slot.get("signature");
    assertThat(signature.get("scope").asText()).as("%s", signature).isEqualTo(scope);
    JsonNode requirement = signature.get("requirements").get(0);
    assertThat(requirement.get("type").asText()).as("%s", signature).isEqualTo("sigstoreSigned");
    assertThat(requirement.get("keyFingerprint").asText()).as("%s", signature).isEqualTo(keyFingerprint);
    assertThat(requirement.get("signedIdentity").asText()).as("%s", signature)
        .isEqualTo(registry.hostAndPort() + "/bootj/os");
  }

  /** Runs a command in the guest, which must succeed; returns its output, stripped. */
  private static String guest(RunningMachine machine, String command) throws Exception {
    return guest(machine, COMMAND, command);
  }

  private static String guest(RunningMachine machine, Duration timeout, String command) throws Exception {
    GuestShell.Result result = guestResult(machine, timeout, command);
    assertThat(result.exitCode()).as("%s in the guest:%n%s", command, result.output()).isZero();
    return result.output().strip();
  }

  /** Runs a command in the guest, once more if the guest's JVM crashed; returns how it ended, failed or not. */
  private static GuestShell.Result guestResult(RunningMachine machine, Duration timeout, String command)
      throws Exception {
    GuestShell.Result result = machine.run(command, timeout);
    lastCommandRanTwice = result.output().contains(JVM_CRASH);
    if (lastCommandRanTwice) {
      // An emulation fault under TCG, not bootj's: say so and run it once more (every command
      // here may be repeated; a repeated switch starts its staging over, as after a kill).
      System.out.printf("[guest] the JVM crashed under emulation; running again: %s%n", command);
      result = machine.run(command, timeout);
    }
    return result;
  }

  private static JsonNode status(RunningMachine machine) throws Exception {
    return CheckedJson.hostStatus(guest(machine, "bootj status --json"));
  }

  /** systemd-bless-boot marks the entry good once boot-complete.target is reached; wait for it. */
  private static JsonNode awaitBlessed(RunningMachine machine, String slot) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    JsonNode status;
    do {
      status = status(machine);
      if ("good".equals(status.get("slots").get(slot).get("bootCounter").get("state").asText())) {
        return status;
      }
      Thread.sleep(3000);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("slot " + slot + " was not marked good: " + status + "\n"
        + guest(machine, "systemctl status systemd-bless-boot.service boot-complete.target --no-pager || true"));
  }

  /** Waits until the last update cycle ended with {@code outcome}; returns the status then. */
  private static JsonNode awaitCycle(RunningMachine machine, String outcome) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    JsonNode status;
    do {
      status = status(machine);
      JsonNode last = status.get("autoUpdate").get("lastCycle");
      if (!last.isNull() && outcome.equals(last.get("outcome").asText())) {
        return status;
      }
      Thread.sleep(10_000);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no update cycle ended with " + outcome + ": " + status.get("autoUpdate") + "\n"
        + guest(machine, "journalctl -u bootj-update.service -o cat --no-pager | tail -40"));
  }

  /**
   * Follows the machine through the boots that come by themselves (a failing health check
   * reboots it), until {@code version} runs or {@code maxBoots} boots have passed. Returns the
   * version that runs at the end.
   */
  private static String followBootsUntilVersion(RunningMachine machine, String version, int maxBoots)
      throws Exception {
    String seen = null;
    for (int boot = 1; ; boot++) {
      try {
        seen = machine.run("cat /usr/share/it-version", COMMAND).output().strip();
        if (seen.equals(version)) {
          return seen;
        }
      } catch (IllegalStateException rebootedMeanwhile) {
        // The failing version reboots while we ask; the next boot answers.
      }
      if (boot == maxBoots) {
        return seen;
      }
      machine.awaitReady(BOOT);
    }
  }

}
