package dev.bootj.system.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLocatorTest {

  @TempDir Path root;

  private void file(String path) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, path);
  }

  @Test
  void findsBootcConvention() throws Exception {
    file("usr/lib/modules/6.8.5-301.fc40.x86_64/vmlinuz");
    file("usr/lib/modules/6.8.5-301.fc40.x86_64/initramfs.img");
    BootFiles found = new KernelLocator().locate(new ImageRoot(root));
    assertThat(found.kernelVersion()).isEqualTo("6.8.5-301.fc40.x86_64");
    assertThat(found.initramfs()).isEqualTo(root.resolve("usr/lib/modules/6.8.5-301.fc40.x86_64/initramfs.img"));
  }

  @Test
  void findsDebianConventionAndPicksTheNewestKernel() throws Exception {
    Files.createDirectories(root.resolve("usr/lib/modules/6.1.0-9-amd64"));
    Files.createDirectories(root.resolve("usr/lib/modules/6.1.0-10-amd64"));
    for (String v : new String[] {"6.1.0-9-amd64", "6.1.0-10-amd64"}) {
      file("boot/vmlinuz-" + v);
      file("boot/initrd.img-" + v);
    }
    BootFiles found = new KernelLocator().locate(new ImageRoot(root));
    assertThat(found.kernelVersion()).isEqualTo("6.1.0-10-amd64");
    assertThat(found.kernel()).isEqualTo(root.resolve("boot/vmlinuz-6.1.0-10-amd64"));
  }

  @Test
  void listsEveryKernelInEitherConventionButNotModulesLeftWithoutOne() throws Exception {
    file("usr/lib/modules/6.8.5-301.fc40.x86_64/vmlinuz");
    file("boot/vmlinuz-6.1.0-10-amd64");
    Files.createDirectories(root.resolve("usr/lib/modules/6.1.0-9-amd64/kernel"));
    assertThat(new KernelLocator().kernelVersions(new ImageRoot(root)))
        .containsExactly("6.8.5-301.fc40.x86_64", "6.1.0-10-amd64");
  }

  @Test
  void followsAbsoluteSymlinksInsideTheRootNotOnTheHost() throws Exception {
    file("usr/lib/kernels/vmlinuz-real");
    file("boot/initrd.img-6.1.0-1-amd64");
    Files.createSymbolicLink(root.resolve("boot/vmlinuz-6.1.0-1-amd64"), Path.of("/usr/lib/kernels/vmlinuz-real"));
    BootFiles found = new KernelLocator().locate(new ImageRoot(root));
    assertThat(found.kernel()).isEqualTo(root.resolve("usr/lib/kernels/vmlinuz-real"));
  }

  @Test
  void kernelWithoutInitramfsSaysWhatToAdd() throws Exception {
    file("boot/vmlinuz-6.1.0-1-amd64");
    assertThatThrownBy(() -> new KernelLocator().locate(new ImageRoot(root)))
        .hasMessageContaining("kernel 6.1.0-1-amd64 but no initramfs")
        .hasMessageContaining("RUN apt-get install -y initramfs-tools");
  }

  @Test
  void noKernelSaysWhatToAdd() {
    assertThatThrownBy(() -> new KernelLocator().locate(new ImageRoot(root)))
        .hasMessageContaining("no kernel")
        .hasMessageContaining("RUN apt-get install -y linux-image-amd64")
        .hasMessageContaining("RUN dnf install -y kernel");
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(KernelLocator.compareVersions("6.10.0", "6.9.0")).isPositive();
    assertThat(KernelLocator.compareVersions("6.1.0-10-amd64", "6.1.0-9-amd64")).isPositive();
    assertThat(KernelLocator.compareVersions("6.1", "6.1")).isZero();
  }
}
