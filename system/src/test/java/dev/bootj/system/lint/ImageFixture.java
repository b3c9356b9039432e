package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A tiny image root for the checks' tests: files written where an image would have them. */
final class ImageFixture {

  final Path directory;

  ImageFixture(Path directory) {
    this.directory = directory;
  }

  ImageRoot root() {
    return new ImageRoot(directory);
  }

  ImageFixture file(String imagePath, String content) throws IOException {
    Path file = directory.resolve(imagePath.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  ImageFixture executable(String imagePath) throws IOException {
    file(imagePath, "#!/bin/sh\n");
    Files.setPosixFilePermissions(directory.resolve(imagePath.substring(1)), PosixFilePermissions.fromString("rwxr-xr-x"));
    return this;
  }

  ImageFixture directory(String imagePath) throws IOException {
    Files.createDirectories(directory.resolve(imagePath.substring(1)));
    return this;
  }

  ImageFixture link(String imagePath, String target) throws IOException {
    Path link = directory.resolve(imagePath.substring(1));
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, Path.of(target));
    return this;
  }

  /** What the example image holds that the checks look at: one passing image. */
  ImageFixture debianLike() throws IOException {
    file("/boot/vmlinuz-6.1.0-40-amd64", "kernel");
    file("/boot/initrd.img-6.1.0-40-amd64", "initramfs");
    directory("/usr/lib/modules/6.1.0-40-amd64/kernel");
    file("/usr/lib/systemd/boot/efi/systemd-bootx64.efi", "MZ");
    executable("/usr/lib/systemd/systemd-bless-boot");
    executable("/usr/lib/systemd/system-generators/systemd-bless-boot-generator");
    file("/usr/lib/bootj/kargs.d/10-console.toml", "kargs = [\"console=ttyS0\"]\n");
    file("/etc/fstab", "# UNCONFIGURED FSTAB FOR BASE SYSTEM\n");
    file("/etc/machine-id", "");
    executable("/usr/bin/bootj");
    file("/usr/lib/bootj/bootj.jar", "PK");
    executable("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    file("/usr/lib/jvm/java-17-openjdk-amd64/release", "JAVA_VERSION=\"17.0.19\"\n");
    link("/etc/alternatives/java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    link("/usr/bin/java", "/etc/alternatives/java");
    directory("/var/lib");
    directory("/run/lock");
    directory("/tmp");
    return this;
  }
}
