/**
 * What a staged image root provides, read without changing it: kernel and initramfs, systemd-boot,
 * kernel arguments from kargs.d, os-release, and how much space it needs. Paths are resolved inside
 * the image root, never on the host.
 */
package dev.bootj.system.image;
