package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.BootjException;
import dev.bootj.oci.ImagePuller;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.PullOptions;
import dev.bootj.oci.PullPolicy;
import dev.bootj.oci.TrustPolicy;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.OfflinePullOptions;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import dev.bootj.system.status.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootj reset} without root: the machine is a {@link DirectoryMachine} booted from slot A,
 * which holds an image from an OCI layout that a store has; slot B is written by the real
 * mkfs.ext4 and read back with debugfs.
 */
class ResetServiceTest {

  private static final String ACCEPT_ANYTHING = "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}";

  @TempDir Path dir;
  private final CommandRunner commands = new CommandRunner();
  private final List<String> steps = new ArrayList<>();
  private Path machine;
  private Path diskFile;
  private Path layout;
  private BlobStore store;
  private PullOptions options;

  @BeforeEach
  void machineBootedFromSlotA() throws IOException {
    assumeTrue(Tool.MKFS_EXT4.locate().isPresent() && Tool.DEBUGFS.locate().isPresent(), "e2fsprogs needed");
    machine = dir.resolve("machine");
    DirectoryMachine.write(machine, "usr/etc/hostname", "tiny\n");
    DirectoryMachine.write(machine, "etc/hostname", "edited\n");
    DirectoryMachine.write(machine, "etc/added-by-user.conf", "mine\n");
    DirectoryMachine.write(machine, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    DirectoryMachine.write(machine, "var/lib/user-data", "keep\n");
    diskFile = DirectoryMachine.createDisk(dir.resolve("disk.img"), commands);
    layout = dir.resolve("layout");
    store = BlobStore.open(dir.resolve("store"));
    Path policy = Files.writeString(dir.resolve("policy.json"), ACCEPT_ANYTHING);
    options = OfflinePullOptions.under(TrustPolicy.of(policy, dir.resolve("registries.d")));
  }

  /** Slot A runs a tiny OS (with mkfs.ext4 when {@code withMkfs}), which the store holds when {@code stored}. */
  private Digest slotAHolds(boolean withMkfs, boolean stored) throws IOException {
    TarBuilder os = new TarBuilder();
    os.dir("boot");
    os.file("boot/vmlinuz-" + DirectoryMachine.KERNEL, "kernel 1");
    os.file("boot/initrd.img-" + DirectoryMachine.KERNEL, "initrd 1");
    os.file("usr/lib/os-release", "PRETTY_NAME=\"Tiny 1\"\n");
    if (withMkfs) {
      os.file("usr/sbin/mkfs.ext4", "#!/bin/sh\n");
    }
    os.file("etc/hostname", "tiny\n");
    os.file("etc/machine-id", "");
    os.file("var/lib/seeded", "from the image\n");
    Digest digest = OciLayoutWriter.write(layout, "1", List.of(OciLayoutWriter.Layer.gzip(os.build())),
        Map.of("org.opencontainers.image.version", "1"));
    ImageReference reference = ImageReference.parse("oci:" + layout + ":1");
    if (stored) {
      new ImagePuller(store, options, ProgressListener.NONE).pull(reference, PullPolicy.MISSING);
    }
    DirectoryMachine.bootedFromSlotA(machine, new ImageIdentity(reference.toString(), digest.toString(), "1"));
    return digest;
  }

  private ResetService service() {
    return new ResetService(store, options, ProgressListener.NONE, steps::add,
        DirectoryMachine.access(machine, diskFile, dir, commands));
  }

  @Test
  void theImageSlotARunsIsWrittenIntoSlotBWithItsEtcAsShippedAndAnEmptyMachineId() throws Exception {
    Digest one = slotAHolds(false, true);

    ResetService.Outcome outcome = service().reset(null, false);

    assertThat(outcome.from()).isEqualTo(Slot.A);
    assertThat(outcome.result().slot()).isEqualTo(Slot.B);
    assertThat(outcome.result().keptLocalChanges()).isZero();
    assertThat(entries()).containsExactly("bootj-a.conf", "bootj-b+3.conf");
    StateRecord.SlotRecord b = new StateFile(machine.resolve("var")).read().slot(Slot.B);
    assertThat(b.manifestDigest()).isEqualTo(one.toString());
    assertThat(b.imageReference()).isEqualTo("oci:" + layout + ":1");
    String slot = diskFile + "?offset=" + DirectoryMachine.SLOT_B;
    assertThat(debugfs(slot, "cat /etc/hostname")).isEqualTo("tiny\n");
    assertThat(debugfs(slot, "ls /etc")).contains("hostname").doesNotContain("added-by-user");
    assertThat(debugfs(slot, "stat /etc/machine-id")).contains("Type: regular").contains("Size: 0");
    assertThat(debugfs(slot, "ls /")).doesNotContain(".bootj-reset");
    assertThat(machine.resolve("etc/hostname")).as("the current slot is only read").hasContent("edited");
    assertThat(machine.resolve("var/lib/user-data")).as("/var is kept").hasContent("keep");
  }

  @Test
  void wipingVarCarriesTheImagesVarAndTheUnitIntoTheNewSlot() throws Exception {
    slotAHolds(true, true);

    ResetService.Outcome outcome = service().reset(null, true);

    assertThat(outcome.wipeVar()).isTrue();
    String slot = diskFile + "?offset=" + DirectoryMachine.SLOT_B;
    assertThat(debugfs(slot, "cat /.bootj-reset/var/lib/seeded")).isEqualTo("from the image\n");
    assertThat(debugfs(slot, "cat /.bootj-reset/recreate-var")).contains("mkfs.ext4 -q -F -L state");
    assertThat(debugfs(slot, "stat /usr/lib/systemd/system/var.mount.requires/bootj-reset-var.service"))
        .contains("Type: symlink");
    assertThat(machine.resolve("var/lib/user-data")).as("/var goes at the next boot, not now").hasContent("keep");
  }

  @Test
  void wipingVarWithoutTheImagesMkfsIsRefusedBeforeAnyWrite() throws Exception {
    slotAHolds(false, true);
    List<String> entriesBefore = entries();
    String stateBefore = Files.readString(machine.resolve("var/lib/bootj/state.json"));

    assertThatThrownBy(() -> service().reset(null, true)).isInstanceOf(BootjException.class)
        .hasMessageContaining("has no mkfs.ext4").hasMessageContaining("nothing was changed");
    assertThat(entries()).isEqualTo(entriesBefore);
    assertThat(machine.resolve("var/lib/bootj/state.json")).hasContent(stateBefore);
  }

  @Test
  void anImageNoStoreHoldsIsRefusedNamingWhereItLooked() throws Exception {
    slotAHolds(false, false);
    List<String> entriesBefore = entries();

    assertThatThrownBy(() -> service().reset(null, false)).isInstanceOf(BootjException.class)
        .hasMessageContaining("no image store holds").hasMessageContaining(store.root().toString())
        .hasMessageContaining("nothing was changed");
    assertThat(entries()).isEqualTo(entriesBefore);
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
