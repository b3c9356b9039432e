package dev.bootj.system.image;

import java.nio.file.Path;

/** What the ESP gets from one image: its kernel, initramfs and the kernel version they belong to. */
public record BootFiles(String kernelVersion, Path kernel, Path initramfs) {}
