package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.BootjException;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.OfflinePullOptions;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.BootedStatusReader;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * switch, upgrade and upgrade --check without root and without a registry: the images come from an
 * OCI layout directory, the machine is a {@link DirectoryMachine} booted from slot A, and slot B is
 * written by the real mkfs.ext4 and read back with debugfs.
 */
class UpdateServiceTest {

  private static final String ACCEPT_ANYTHING = "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}";
  private static final String REJECT = "{\"default\": [{\"type\": \"reject\"}]}";

  @TempDir Path dir;
  private final CommandRunner commands = new CommandRunner();
  private final List<String> steps = new ArrayList<>();
  private Path machine;
  private Path diskFile;
  private Path layout;
  private BlobStore store;

  @BeforeEach
  void machineBootedFromSlotA() throws IOException {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent() && Tool.DEBUGFS.locate().isPresent(), "e2fsprogs needed");
    machine = dir.resolve("machine");
    DirectoryMachine.write(machine, "usr/etc/hostname", "tiny\n");
    DirectoryMachine.write(machine, "etc/hostname", "edited\n");
    diskFile = DirectoryMachine.createDisk(dir.resolve("disk.img"), commands);
    layout = dir.resolve("layout");
    store = BlobStore.open(dir.resolve("store"));
  }

  /** A tiny OS image tagged {@code tag} in the layout (replacing what the layout held); its manifest digest. */
  private Digest image(String tag, String version) throws IOException {
    TarBuilder os = new TarBuilder();
    os.dir("boot");
    os.file("boot/vmlinuz-" + DirectoryMachine.KERNEL, "kernel " + version);
    os.file("boot/initrd.img-" + DirectoryMachine.KERNEL, "initrd " + version);
    os.file("usr/lib/os-release", "PRETTY_NAME=\"Tiny " + version + "\"\n");
    os.file("etc/hostname", "tiny\n");
    os.file("etc/motd", "release " + version + "\n");
    os.dir("var/lib");
    return OciLayoutWriter.write(layout, tag, List.of(OciLayoutWriter.Layer.gzip(os.build())),
        Map.of("org.opencontainers.image.version", version));
  }

  private ImageReference tagged(String tag) {
    return ImageReference.parse("oci:" + layout + ":" + tag);
  }

  private void slotAHolds(String reference, Digest digest) throws IOException {
    DirectoryMachine.bootedFromSlotA(machine, new ImageIdentity(reference, digest.toString(), "1"));
  }

  /** Under a policy file of the test's own; the machine's /etc/containers plays no part. */
  private UpdateService service(String policyJson) throws IOException {
    Path policy = Files.writeString(dir.resolve("policy.json"), policyJson);
    return service(TrustPolicy.of(policy, dir.resolve("registries.d")));
  }

  private UpdateService service(TrustPolicy trust) {
    PullOptions options = OfflinePullOptions.under(trust);
    return new UpdateService(store, options, ProgressListener.NONE, steps::add,
        DirectoryMachine.access(machine, diskFile, dir, commands));
  }

  @Test
  void switchStagesTheImageIntoSlotBAndLeavesSlotABooted() throws Exception {
    Digest one = image("1", "1");
    slotAHolds(tagged("1").toString(), one);
    Digest two = image("2", "2");

    UpdateService.Outcome outcome = service(ACCEPT_ANYTHING).switchTo(null, tagged("2"));

    assertThat(outcome.changed()).isTrue();
    assertThat(outcome.target()).isEqualTo("the test machine");
    assertThat(outcome.result().slot()).isEqualTo(Slot.B);
    assertThat(steps).contains("Writing slot B in full: bootj has no record of what it holds");
    assertThat(entries()).containsExactlyInAnyOrder("bootj-a.conf", "bootj-b+3.conf");
    assertThat(Files.readString(machine.resolve("efi/bootj/b/vmlinuz"))).isEqualTo("kernel 2");
    StateRecord.SlotRecord b = new StateFile(machine.resolve("var")).read().slot(Slot.B);
    assertThat(b.imageReference()).isEqualTo(tagged("2").toString());
    assertThat(b.manifestDigest()).isEqualTo(two.toString());
    assertThat(b.version()).isEqualTo("2");
    String slot = diskFile + "?offset=" + DirectoryMachine.SLOT_B;
    assertThat(debugfs(slot, "cat /etc/motd")).isEqualTo("release 2\n");
    assertThat(debugfs(slot, "cat /etc/hostname")).as("the machine's edit is kept").isEqualTo("edited\n");
    DiskStatus status = new BootedStatusReader(machine).read();
    assertThat(status.bootedSlot()).isEqualTo(Slot.A);
    assertThat(status.defaultSlot()).isEqualTo(Slot.B);
    assertThat(dir.resolve("staging")).as("the staging tree is removed").doesNotExist();
  }

  @Test
  void aSecondSwitchToTheSameDigestWritesNothingAndSaysWhy() throws Exception {
    slotAHolds(tagged("1").toString(), image("1", "1"));
    Digest two = image("2", "2");
    service(ACCEPT_ANYTHING).switchTo(null, tagged("2"));
    String entryB = Files.readString(machine.resolve("efi/loader/entries/bootj-b+3.conf"));
    String state = Files.readString(machine.resolve("var/lib/bootj/state.json"));

    UpdateService.Outcome again = service(ACCEPT_ANYTHING).switchTo(null, tagged("2"));

    assertThat(again.changed()).isFalse();
    assertThat(again.unchanged()).isEqualTo("slot b already holds " + two + " and boots next; reboot to apply it");
    assertThat(entries()).containsExactlyInAnyOrder("bootj-a.conf", "bootj-b+3.conf");
    assertThat(Files.readString(machine.resolve("efi/loader/entries/bootj-b+3.conf"))).isEqualTo(entryB);
    assertThat(Files.readString(machine.resolve("var/lib/bootj/state.json"))).isEqualTo(state);
  }

  @Test
  void aSwitchToWhatTheBootedSlotHoldsSaysSoWithoutAReboot() throws Exception {
    Digest one = image("1", "1");
    slotAHolds(tagged("1").toString(), one);

    UpdateService.Outcome outcome = service(ACCEPT_ANYTHING).switchTo(null, tagged("1"));

    assertThat(outcome.unchanged()).isEqualTo("slot a already holds " + one + " and boots next");
    assertThat(entries()).containsExactly("bootj-a.conf");
  }

  @Test
  void upgradeStagesTheNewImageOfTheFollowedTag() throws Exception {
    Digest one = image("stable", "1");
    slotAHolds(tagged("stable").toString(), one);
    Digest two = image("stable", "2");

    UpdateService.Check check = service(ACCEPT_ANYTHING).check(null);
    assertThat(check.pinned()).isFalse();
    assertThat(check.updateAvailable()).isTrue();
    assertThat(check.latest().manifestDigest()).isEqualTo(two);
    assertThat(check.downloadBytes()).isPositive();
    assertThat(entries()).as("a check changes nothing").containsExactly("bootj-a.conf");

    UpdateService.Outcome outcome = service(ACCEPT_ANYTHING).upgrade(null);

    assertThat(outcome.changed()).isTrue();
    StateRecord.SlotRecord b = new StateFile(machine.resolve("var")).read().slot(Slot.B);
    assertThat(b.manifestDigest()).isEqualTo(two.toString());
    assertThat(b.imageReference()).as("still following the tag").isEqualTo(tagged("stable").toString());
    assertThat(service(ACCEPT_ANYTHING).check(null).updateAvailable()).as("the staged slot boots next").isFalse();
  }

  @Test
  void upgradeWithNothingNewChangesNothing() throws Exception {
    Digest one = image("stable", "1");
    slotAHolds(tagged("stable").toString(), one);

    assertThat(service(ACCEPT_ANYTHING).check(null).updateAvailable()).isFalse();
    UpdateService.Outcome outcome = service(ACCEPT_ANYTHING).upgrade(null);

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.unchanged()).isEqualTo("slot a already holds " + one + " and boots next");
    assertThat(entries()).containsExactly("bootj-a.conf");
  }

  @Test
  void aMachinePinnedToADigestIsLeftAloneByUpgrade() throws Exception {
    Digest one = image("1", "1");
    // Never resolved: a pinned machine needs no registry, so none is there.
    String pinned = "registry.invalid/os@" + one;
    slotAHolds(pinned, one);

    UpdateService.Outcome outcome = service(ACCEPT_ANYTHING).upgrade(null);
    UpdateService.Check check = service(ACCEPT_ANYTHING).check(null);

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.unchanged()).isEqualTo("this machine is pinned to " + pinned
        + "; 'bootj switch IMAGE:TAG' makes it follow a tag again");
    assertThat(check.pinned()).isTrue();
    assertThat(check.updateAvailable()).isFalse();
    assertThat(entries()).containsExactly("bootj-a.conf");
    assertThat(steps).noneMatch(s -> s.startsWith("Resolving"));
  }

  @Test
  void aDigestThatFailedToBootIsSkipped() throws Exception {
    slotAHolds(tagged("stable").toString(), image("stable", "1"));
    Digest two = image("stable", "2");

    UpdateService.Outcome outcome = service(ACCEPT_ANYTHING).upgrade(null,
        new UpdateService.Options(UpdateService.Scope.STAGE, Set.of(two.toString())));

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.unchanged()).isEqualTo(tagged("stable") + " resolves to " + two
        + ", which failed to boot on the test machine; it is skipped until the tag names another image");
    assertThat(entries()).containsExactly("bootj-a.conf");
  }

  @Test
  void theMachinesOwnPolicyDecidesWhenNoneIsGiven() throws Exception {
    slotAHolds(tagged("stable").toString(), image("stable", "1"));
    image("stable", "2");
    DirectoryMachine.write(machine, "etc/containers/policy.json", REJECT);
    // The host's policy is never read: a path of the machine's own is.
    UpdateService service = service(TrustPolicy.of(null, null));

    assertThatThrownBy(() -> service.switchTo(null, tagged("stable")))
        .isInstanceOf(BootjException.class)
        .hasMessageContaining("rejects every image")
        .extracting(e -> ((BootjException) e).kind()).isEqualTo(BootjException.Kind.UNTRUSTED);
    assertThat(entries()).containsExactly("bootj-a.conf");
    UpdateService.Check check = service.check(null);
    assertThat(check.acceptance()).isNull();
    assertThat(check.refusal()).contains("rejects every image");

    DirectoryMachine.write(machine, "etc/containers/policy.json", ACCEPT_ANYTHING);
    assertThat(service(TrustPolicy.of(null, null)).switchTo(null, tagged("stable")).changed()).isTrue();
  }

  @Test
  void aSecondUpdateWhileOneRunsIsRefused() throws Exception {
    slotAHolds(tagged("1").toString(), image("1", "1"));
    try (UpdateLock held = DirectoryMachine.access(machine, diskFile, dir, commands).lock(null)) {
      assertThatThrownBy(() -> service(ACCEPT_ANYTHING).switchTo(null, tagged("1")))
          .isInstanceOf(BootjException.class)
          .hasMessageContaining("the test machine");
    }
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> entries = Files.list(machine.resolve("efi/loader/entries"))) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private String debugfs(String image, String request) throws IOException {
    return commands.run(CommandRunner.Command.of(Duration.ofMinutes(1), "debugfs", "-R", request, image));
  }
}
