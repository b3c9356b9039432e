/**
 * The target disk: what it is and whether it may be written, the GPT (written with sgdisk, read
 * directly), where each partition's bytes are, and making a filled filesystem on a partition.
 */
package dev.bootj.system.disk;
