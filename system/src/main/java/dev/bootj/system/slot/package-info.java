/**
 * What bootj adds to an image before it becomes a slot: fstab, the read-only /usr unit, the
 * pristine /usr/etc copy, authorized keys, and /var moved out to seed the state partition.
 */
package dev.bootj.system.slot;
