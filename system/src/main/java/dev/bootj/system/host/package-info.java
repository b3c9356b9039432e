/**
 * The programs of the machine bootj runs on (sgdisk, mkfs, mtools, losetup, ...): found also in
 * sbin, named with their Debian package when missing, run with a deadline and a one-line error.
 */
package dev.bootj.system.host;
