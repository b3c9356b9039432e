/**
 * The EFI system partition: systemd-boot, each slot's kernel and initramfs, boot entries and
 * loader.conf, written with mtools so nothing is mounted.
 */
package dev.bootj.installer.boot;
