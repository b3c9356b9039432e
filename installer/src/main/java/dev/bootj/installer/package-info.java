/**
 * The installer's public API: {@link dev.bootj.installer.DiskInstaller} writes an A/B disk from an
 * unpacked image, {@link dev.bootj.installer.DiskStatusReader} says what a disk (or the booted
 * machine) holds, and the records they take and return. Knows nothing about HTTP: images arrive
 * as unpacked root directories from the oci module.
 *
 * <p>The steps live in sub-packages, one concern each: {@code preflight} (every check before a
 * byte is written), {@code image} (what the staged image provides), {@code disk} (partition
 * table and filesystems), {@code slot} (what bootj adds to a slot), {@code boot} (the EFI system
 * partition) and {@code host} (running the host's programs).
 */
package dev.bootj.installer;
