package dev.bootj.it.update;

import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Versions of a tiny fake OS (kernel and loader made of text), as OCI layouts: one base layer that
 * every version shares and one small top layer per version, the shape of a real OS update. Enough
 * for bootj to install and update it, not to boot it.
 */
final class TinyOs {

  static final String KERNEL = "6.1.0-50-amd64";
  static final String ACCEPT_ANYTHING = "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}\n";

  private TinyOs() {}

  static byte[] baseLayer() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.dir("boot");
    tar.file("boot/vmlinuz-" + KERNEL, "kernel");
    tar.file("boot/initrd.img-" + KERNEL, "initramfs");
    tar.dir("usr");
    tar.dir("usr/lib");
    tar.dir("usr/lib/systemd");
    tar.dir("usr/lib/systemd/boot");
    tar.dir("usr/lib/systemd/boot/efi");
    tar.file("usr/lib/systemd/boot/efi/systemd-bootx64.efi", "systemd-boot");
    tar.file("usr/lib/os-release", "PRETTY_NAME=\"Tiny OS\"\n");
    tar.dir("usr/lib/bootj");
    tar.dir("usr/lib/bootj/kargs.d");
    tar.file("usr/lib/bootj/kargs.d/10-console.toml", "kargs = [\"console=ttyS0\"]\n");
    tar.dir("etc");
    tar.symlink("etc/os-release", "../usr/lib/os-release");
    tar.file("etc/hostname", "tiny\n");
    tar.file("etc/deleted-by-user.conf", "the user deletes this\n");
    tar.file("etc/fstab", "# UNCONFIGURED FSTAB\n");
    // The machine's own signature policy, which its updates follow; Debian's containers-common default.
    tar.dir("etc/containers");
    tar.file("etc/containers/policy.json", ACCEPT_ANYTHING);
    tar.dir("var");
    tar.dir("var/lib");
    tar.file("var/lib/seeded", "from the image\n");
    return tar.build();
  }

  /** The layer that makes version {@code version}: its kargs, a version file, its /etc defaults. */
  static byte[] versionLayer(String version, Map<String, String> etcFiles) throws IOException {
    return versionTar(version, etcFiles).build();
  }

  private static TarBuilder versionTar(String version, Map<String, String> etcFiles) {
    TarBuilder tar = new TarBuilder();
    tar.dir("usr");
    tar.dir("usr/lib");
    tar.dir("usr/lib/bootj");
    tar.dir("usr/lib/bootj/kargs.d");
    tar.file("usr/lib/bootj/kargs.d/20-version.toml", "kargs = [\"tiny.version=" + version + "\"]\n");
    tar.dir("usr/share");
    tar.file("usr/share/tiny-version", version + "\n");
    tar.dir("etc");
    etcFiles.forEach((path, text) -> {
      if (text == null) {
        tar.dir("etc/" + path);
      } else {
        tar.file("etc/" + path, text);
      }
    });
    return tar;
  }

  /** Writes version {@code version} into the OCI layout {@code dir} under tag {@code version}. */
  static void write(Path dir, String version, Map<String, String> etcFiles) throws IOException {
    OciLayoutWriter.write(dir, version, List.of(OciLayoutWriter.Layer.gzip(baseLayer()),
        OciLayoutWriter.Layer.gzip(versionLayer(version, etcFiles))),
        Map.of("org.opencontainers.image.version", version));
  }

  /**
   * As {@link #write}, and the version's top layer replaces the kernel and the initramfs with its
   * own ({@link #bootFile}), so that which version's kernel sits where can be told by its bytes.
   */
  static void writeWithOwnKernel(Path dir, String version, Map<String, String> etcFiles, int bootFileBytes)
      throws IOException {
    TarBuilder top = versionTar(version, etcFiles);
    top.dir("boot");
    top.file("boot/vmlinuz-" + KERNEL, bootFile(version, "vmlinuz", bootFileBytes));
    top.file("boot/initrd.img-" + KERNEL, bootFile(version, "initrd.img", bootFileBytes));
    OciLayoutWriter.write(dir, version, List.of(OciLayoutWriter.Layer.gzip(baseLayer()),
        OciLayoutWriter.Layer.gzip(top.build())), Map.of("org.opencontainers.image.version", version));
  }

  /** Version {@code version}'s own {@code name} ("vmlinuz", "initrd.img"): random bytes, the same on every call. */
  static byte[] bootFile(String version, String name, int bytes) {
    byte[] content = new byte[bytes];
    new Random((version + "/" + name).hashCode()).nextBytes(content);
    return content;
  }
}
