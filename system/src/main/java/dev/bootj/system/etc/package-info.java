/**
 * The machine's /etc against its image's: {@link dev.bootj.system.etc.LocalEtcChanges} lists the
 * local changes (/etc against the pristine copy at /usr/etc; {@code bootj config-diff}), and
 * {@link dev.bootj.system.etc.EtcMerge} plans the three-way merge an update makes into the new
 * slot (ostree's rules; {@link dev.bootj.system.etc.EtcMergePlan}, written by {@link
 * dev.bootj.system.etc.EtcTreeWriter}), refusing with {@link dev.bootj.system.etc.EtcMergeConflict}
 * before anything is written. Trees are captured with owners, modes, xattrs and device numbers
 * ({@link dev.bootj.system.etc.EtcTree}).
 */
package dev.bootj.system.etc;
