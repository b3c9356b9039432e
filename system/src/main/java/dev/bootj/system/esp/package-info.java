/**
 * The EFI system partition behind one interface, {@link dev.bootj.system.esp.Esp}: mounted on a
 * running machine ({@link dev.bootj.system.esp.MountedEsp}) or reached through mtools inside a disk
 * or disk image ({@link dev.bootj.system.esp.MtoolsEsp}, which also formats a new one). Install,
 * status and updates all read and write boot entries, kernels and loader.conf through it.
 */
package dev.bootj.system.esp;
