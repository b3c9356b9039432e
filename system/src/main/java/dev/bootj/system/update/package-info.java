/**
 * Moving an installed machine to another image, online (the booted machine, through its mounted
 * ESP and /var) or offline (a bootj disk that is not running), one at a time per machine or disk
 * ({@link dev.bootj.system.update.UpdateLock}). {@link dev.bootj.system.update.UpdateService} does
 * {@code switch}, {@code upgrade} and {@code upgrade --check}; {@link
 * dev.bootj.system.update.RollbackService} {@code rollback}. {@link
 * dev.bootj.system.update.SlotUpdater} plans (every check, the /etc merge) and then applies; its
 * javadoc gives the order of the writes and why a kill at any point is safe.
 */
package dev.bootj.system.update;
