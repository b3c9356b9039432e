package dev.bootj.system.install;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.system.disk.TargetInspector;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.image.BootLoaderLocator;
import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.ImageIdentity;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preflight with fake image roots, a fake host, fake /proc and /sys; nothing is run or written. */
class PreflightTest {

  @TempDir Path dir;
  Path root;
  Path host;

  @BeforeEach
  void debianLikeImage() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    host = Files.createDirectories(dir.resolve("host"));
    Files.createDirectories(dir.resolve("proc"));
    Files.createDirectories(dir.resolve("sys"));
    write(root, "boot/vmlinuz-6.1.0-50-amd64", 10);
    write(root, "boot/initrd.img-6.1.0-50-amd64", 10);
    write(root, BootLoaderLocator.IMAGE_PATH.substring(1), 10);
    write(root, "etc/os-release", 0);
    write(root, "var/lib/x", 10);
  }

  private static Path write(Path base, String path, int kib) throws IOException {
    Path p = base.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[kib * 1024]);
    return p;
  }

  private Preflight preflight(List<Tool> missing) {
    return preflight(missing, "mke2fs 1.47.0 (5-Feb-2023)\n\tUsing EXT2FS Library version 1.47.0\n");
  }

  private Preflight preflight(List<Tool> missing, String mke2fsAnswer) {
    return new Preflight(new TargetInspector(dir.resolve("proc"), dir.resolve("sys")),
        new BootLoaderLocator(host), tool -> !missing.contains(tool), new AnsweringRunner(mke2fsAnswer));
  }

  /** Answers "mkfs.ext4 -V" with a given text; runs nothing. */
  private static final class AnsweringRunner extends CommandRunner {
    private final String answer;

    AnsweringRunner(String answer) {
      this.answer = answer;
    }

    @Override
    public String runForAllOutput(Command command) {
      assertThat(command.argv()).containsExactly("mkfs.ext4", "-V");
      return answer;
    }
  }

  private InstallRequest request(Path target, Long create, Long slot) {
    return new InstallRequest(target, create, false, FilesystemType.EXT4, slot, List.of(), null, root,
        new ImageIdentity("example/os:1", "sha256:abc", null));
  }

  @Test
  void goodImageOnNewFileIsPlannedWithoutWritingAnything() throws IOException {
    Path target = dir.resolve("disk.img");
    InstallPlan plan = preflight(List.of()).check(request(target, 8 * GIB, null));
    assertThat(plan.createTarget()).isTrue();
    assertThat(plan.bootFiles().kernelVersion()).isEqualTo("6.1.0-50-amd64");
    assertThat(plan.bootLoader().fromHost()).isFalse();
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.layout().diskSizeBytes()).isEqualTo(8 * GIB);
    assertThat(target).doesNotExist();
  }

  @Test
  void mke2fsWithoutFillFromDirectoryIsRefused() {
    assertThatThrownBy(() -> preflight(List.of(), "mke2fs 1.42.9 (28-Dec-2013)\n").check(request(dir.resolve("d"), 8 * GIB, null)))
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining("mkfs.ext4 is e2fsprogs 1.42.9, which cannot fill a filesystem from a directory (-d,"
            + " e2fsprogs 1.43 or later); install a newer e2fsprogs, or choose xfs");
  }

  @Test
  void mke2fsVersionGoesIntoThePlanForTheOrphanFileChoice() throws IOException {
    InstallPlan plan = preflight(List.of(), "mke2fs 1.46.5 (30-Dec-2021)\n").check(request(dir.resolve("d"), 8 * GIB, null));
    assertThat(plan.mke2fs().knowsOrphanFile()).isFalse();
    assertThat(preflight(List.of()).check(request(dir.resolve("d"), 8 * GIB, null)).mke2fs().knowsOrphanFile()).isTrue();
  }

  @Test
  void unreadableMke2fsVersionIsOnlyAWarning() throws IOException {
    InstallPlan plan = preflight(List.of(), "something else\n").check(request(dir.resolve("d"), 8 * GIB, null));
    assertThat(plan.mke2fs()).isNull();
    assertThat(plan.warnings()).singleElement().asString().contains("cannot tell which e2fsprogs");
  }

  @Test
  void missingToolsAreNamedWithDebianAndFedoraPackages() {
    assertThatThrownBy(() -> preflight(List.of(Tool.SGDISK, Tool.MCOPY)).check(request(dir.resolve("d"), 8 * GIB, null)))
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining("sgdisk not found; install gdisk (Debian) / gdisk (Fedora)")
        .hasMessageContaining("mcopy not found; install mtools (Debian) / mtools (Fedora)");
  }

  @Test
  void imageWithoutBootLoaderUsesTheHostsWithAWarning() throws IOException {
    Files.delete(root.resolve(BootLoaderLocator.IMAGE_PATH.substring(1)));
    write(host, BootLoaderLocator.IMAGE_PATH.substring(1), 1);
    InstallPlan plan = preflight(List.of()).check(request(dir.resolve("d"), 8 * GIB, null));
    assertThat(plan.bootLoader().fromHost()).isTrue();
    assertThat(plan.warnings()).singleElement().asString().contains("systemd-boot-efi");
  }

  @Test
  void noBootLoaderAnywhereSaysWhatToAddToTheContainerfile() throws IOException {
    Files.delete(root.resolve(BootLoaderLocator.IMAGE_PATH.substring(1)));
    assertThatThrownBy(() -> preflight(List.of()).check(request(dir.resolve("d"), 8 * GIB, null)))
        .hasMessageContaining("RUN apt-get install -y systemd-boot-efi");
  }

  @Test
  void allProblemsAreReportedTogether() throws IOException {
    Files.delete(root.resolve("boot/vmlinuz-6.1.0-50-amd64"));
    Files.delete(root.resolve(BootLoaderLocator.IMAGE_PATH.substring(1)));
    assertThatThrownBy(() -> preflight(List.of(Tool.SGDISK)).check(request(dir.resolve("d"), 8 * GIB, null)))
        .satisfies(e -> assertThat(((PreflightException) e).problems()).hasSize(3));
  }

  @Test
  void tooSmallTargetSaysHowBigItIsAndWhatItNeeds() {
    assertThatThrownBy(() -> preflight(List.of()).check(request(dir.resolve("d"), 1 * GIB, null)))
        .hasMessageContaining("is too small: it is 1 GiB")
        .hasMessageContaining("it needs at least");
  }

  @Test
  void imageLargerThanTheGivenSlotSaysBothSizes() throws IOException {
    write(root, "usr/big", 200 * 1024);
    assertThatThrownBy(() -> preflight(List.of()).check(request(dir.resolve("d"), 8 * GIB, 256 * MIB)))
        .hasMessageContaining("the image needs a slot of about 348")
        .hasMessageContaining("(200")
        .hasMessageContaining("the slot size given is 256 MiB");
  }

  @Test
  void missingTargetWithoutSizeIsRefused() {
    assertThatThrownBy(() -> preflight(List.of()).check(request(dir.resolve("none.img"), null, null)))
        .hasMessageContaining("does not exist; give a size");
  }

  @Test
  void existingImageWithAPartitionTableNeedsWipe() throws IOException {
    Path image = dir.resolve("old.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(8 * GIB);
      file.seek(510);
      file.write(new byte[] {0x55, (byte) 0xaa});
    }
    assertThatThrownBy(() -> preflight(List.of()).check(request(image, null, null)))
        .hasMessageContaining("already has a partition table; give --wipe");
    InstallRequest wipe = new InstallRequest(image, null, true, FilesystemType.EXT4, null, List.of(), null, root,
        new ImageIdentity("example/os:1", "sha256:abc", null));
    assertThat(preflight(List.of()).check(wipe).createTarget()).isFalse();
  }
}
