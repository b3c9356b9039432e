/**
 * Moving an installed machine to another image: {@code switch}, {@code upgrade} and
 * {@code rollback}, online (the booted machine, through its mounted ESP and /var) or offline (a
 * bootj disk that is not running). {@link dev.bootj.system.update.SlotUpdater} is the one place
 * that writes; its javadoc gives the order of the steps and why a kill at any point is safe.
 */
package dev.bootj.system.update;
