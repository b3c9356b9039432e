/**
 * Disks, partitions, filesystems, A/B slots, boot entries, /etc merge and machine state. Knows
 * nothing about HTTP: images arrive as unpacked root directories from the oci module.
 */
package dev.bootj.installer;
