package dev.bootj.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.oci.trust.PolicyAcceptance;
import dev.bootj.oci.trust.SatisfiedRequirement;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The human {@code bootj status}: the line that says how each slot's image was accepted. */
class StatusCommandTest {

  private static final String COSIGN_KEY = "50e51937f72e8e0008219ceb272fd9859f549da68ca29d6650d89f7e6ba7e493";
  private static final String GPG_KEY = "587DC6242FDB176A02C17AEE52158DA849D4FEB6";

  private static DiskStatus.SlotStatus slot(String version, PolicyAcceptance signature) {
    StateRecord.SlotRecord image = new StateRecord.SlotRecord("registry.example/os:" + version,
        "sha256:" + version.repeat(64), version, "6.1.0-50-amd64", "2026-12-01T10:00:00Z", signature);
    return new DiskStatus.SlotStatus(UUID.nameUUIDFromBytes(version.getBytes()), true, "os " + version, "rw", 1, null,
        image);
  }

  private static List<String> signatureLines(DiskStatus status) {
    StringWriter text = new StringWriter();
    StatusCommand.print(new PrintWriter(text), status, null);
    return text.toString().lines().filter(l -> l.strip().startsWith("signature")).toList();
  }

  @Test
  void eachSlotSaysUnderWhichScopeWhichRequirementWhichKeyAndWhichIdentityAcceptedIt() {
    Map<Slot, DiskStatus.SlotStatus> slots = new EnumMap<>(Slot.class);
    slots.put(Slot.A, slot("1", new PolicyAcceptance("docker: registry.example/os",
        List.of(new SatisfiedRequirement("sigstoreSigned", COSIGN_KEY, "registry.example/os")))));
    slots.put(Slot.B, slot("2", new PolicyAcceptance("default", List.of(
        new SatisfiedRequirement("signedBy", GPG_KEY, "registry.example/os:2"),
        new SatisfiedRequirement("insecureAcceptAnything", null, null)))));

    assertThat(signatureLines(new DiskStatus(Path.of("/srv/vm.img"), Slot.B, slots, null))).containsExactly(
        "      signature  docker: registry.example/os: sigstoreSigned: key " + COSIGN_KEY
            + ", identity registry.example/os",
        "      signature  default: signedBy: key " + GPG_KEY + ", identity registry.example/os:2; insecureAcceptAnything");
  }

  @Test
  void aSlotWrittenBeforeVerdictsWereRecordedSaysSo() {
    Map<Slot, DiskStatus.SlotStatus> slots = new EnumMap<>(Slot.class);
    slots.put(Slot.A, slot("1", null));

    assertThat(signatureLines(new DiskStatus(Path.of("/srv/vm.img"), Slot.A, slots, null)))
        .containsExactly("      signature  (not recorded)");
  }
}
