/**
 * Disks and partitions: what a target is and whether it may be written ({@link
 * dev.bootj.system.disk.TargetInspector}), the GPT (written with sgdisk, read directly), a bootj
 * disk's four partitions ({@link dev.bootj.system.disk.BootjDisk}, the one place that maps a disk to
 * them), loop devices and mounts for image files, and making a filled filesystem on a partition.
 */
package dev.bootj.system.disk;
