package dev.bootj.system.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bootj.common.testing.JsonSchemaCheck;
import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.oci.trust.SatisfiedRequirement;
import dev.bootj.system.model.BootCounter;
import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.LoaderConfig;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status record as scripts see it: real reader output for three machines (a staged update, a
 * rollback that happened, a disk read offline) turned into {@code bootj status --json}, compared
 * with fixture files (any change to the JSON shows up here and must be deliberate), and validated
 * against the published schema by an independent validator.
 */
class HostStatusTest {

  private static final UUID A = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000002");
  private static final UUID B = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000003");
  private static final PolicyAcceptance SIGNED = new PolicyAcceptance("docker: registry.example/os",
      List.of(new SatisfiedRequirement("sigstoreSigned", "9f".repeat(32), "registry.example/os")));
  private static final ImageIdentity V1 = new ImageIdentity("registry.example/os:stable", "sha256:" + "11".repeat(32), "1");
  private static final ImageIdentity V2 = new ImageIdentity("registry.example/os:stable", "sha256:" + "22".repeat(32), "2");
  private static final OsRelease OS = OsRelease.parse("PRETTY_NAME=\"Example OS\"\n");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @TempDir Path host;

  @Test
  void stagedUpdateOnTheRunningMachine() throws Exception {
    machine(A);
    entry(Slot.A, "bootj-a.conf", A, 1, V1, null);
    entry(Slot.B, "bootj-b+3.conf", B, 2, V2, BootCounter.fresh(3));
    state(Map.of(Slot.A, V1, Slot.B, V2));
    HostStatus.AutoUpdate autoUpdate = new HostStatus.AutoUpdate("apply", List.of("Sat,Sun 02:00-05:00"),
        new HostStatus.LastCycle("2026-12-02T09:00:05Z", "staged", "staged registry.example/os:stable ("
            + V2.manifestDigest() + ") into slot B; it boots when the window Sat,Sun 02:00-05:00 opens, at 2026-12-05T02:00",
            V2.manifestDigest(), "2026-12-05T02:00:00Z"),
        List.of(new HostStatus.FailedDigest("sha256:" + "33".repeat(32), "registry.example/os:stable", "3",
            "2026-12-01T10:00:00Z")));
    HostStatus status = HostStatus.of(new BootedStatusReader(host).read()).withAutoUpdate(autoUpdate);
    assertThat(status.status().booted()).isEqualTo("a");
    assertThat(status.status().staged()).isEqualTo("b");
    assertThat(status.status().slots().get("b").bootCounter().state()).isEqualTo("trying");
    assertThat(status.spec().image()).isEqualTo("registry.example/os:stable");
    matchesFixtureAndSchema(status, "host-staged.json");
  }

  @Test
  void rollbackThatHappenedOnTheRunningMachine() throws Exception {
    machine(A);
    entry(Slot.A, "bootj-a.conf", A, 1, V1, null);
    entry(Slot.B, "bootj-b+0-3.conf", B, 2, V2, new BootCounter(0, 3));
    state(Map.of(Slot.A, V1, Slot.B, V2));
    HostStatus status = HostStatus.of(new BootedStatusReader(host).read());
    assertThat(status.status().rollbackHappened().failedSlot()).isEqualTo("b");
    assertThat(status.status().rollbackHappened().bootedInstead()).isEqualTo("a");
    assertThat(status.status().slots().get("b").bootCounter().state()).isEqualTo("failed");
    matchesFixtureAndSchema(status, "host-rollback-happened.json");
  }

  @Test
  void freshlyInstalledDiskReadOffline() throws Exception {
    StateRecord.SlotRecord a = new StateRecord.SlotRecord(V1.reference() + "@" + V1.manifestDigest(),
        V1.manifestDigest(), null, "6.1.0-40-amd64", "2026-11-30T12:00:00Z", SIGNED);
    DiskStatus disk = new DiskStatus(Path.of("/srv/vm.img"), Slot.A, Map.of(Slot.A,
        new DiskStatus.SlotStatus(A, true, "Example OS (111111111111, slot a)", "root=PARTUUID=" + A + " rw", 1,
            null, a)), null);
    HostStatus status = HostStatus.of(disk);
    assertThat(status.spec().pinned()).isTrue();
    assertThat(status.status().slots().get("b").empty()).isTrue();
    matchesFixtureAndSchema(status, "host-offline-pinned.json");
  }

  private void matchesFixtureAndSchema(HostStatus status, String fixture) throws IOException, InterruptedException {
    String json = JSON.writeValueAsString(status) + "\n";
    Path fixtures = Path.of("src/test/resources/dev/bootj/system/status");
    if (Boolean.getBoolean("bootj.fixtures.write")) {
      Files.createDirectories(fixtures);
      Files.writeString(fixtures.resolve(fixture), json);
    }
    assertThat(json).isEqualTo(new String(getClass().getResourceAsStream(fixture).readAllBytes(), StandardCharsets.UTF_8));
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("host-v1", json)).isEmpty();
  }

  private void machine(UUID booted) throws IOException {
    write("proc/cmdline", "initrd=\\bootj\\a\\initrd root=PARTUUID=" + booted + " rw console=ttyS0\n");
    write("efi/loader/loader.conf", new LoaderConfig(3).text());
  }

  private void entry(Slot slot, String fileName, UUID root, long generation, ImageIdentity image, BootCounter counter)
      throws IOException {
    BootEntry entry = BootEntry.forSlot(slot, OS, image, "6.1.0-40-amd64", root, List.of("console=ttyS0"), List.of())
        .withGeneration(generation);
    if (counter != null) {
      entry = entry.withCounter(counter);
    }
    write("efi/loader/entries/" + fileName, entry.text());
  }

  private void state(Map<Slot, ImageIdentity> images) throws IOException {
    Map<String, StateRecord.SlotRecord> slots = new TreeMap<>();
    images.forEach((slot, image) -> slots.put(slot.id(), new StateRecord.SlotRecord(image.reference(),
        image.manifestDigest(), image.version(), "6.1.0-40-amd64", Instant.parse("2026-11-30T12:00:00Z").toString(),
        image.signature())));
    write(StateRecord.PATH.substring(1), new StateRecord(1, slots).toJson());
  }

  private void write(String path, String text) throws IOException {
    Path file = host.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
