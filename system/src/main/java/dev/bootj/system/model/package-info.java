/**
 * The vocabulary of a bootj machine, with no behaviour that reaches outside the JVM: slots and
 * partitions and their layout, boot entries with their boot counters and order, the state record
 * (/var/lib/bootj/state.json), the image identity, os-release and what a disk says about itself
 * ({@link dev.bootj.system.model.DiskStatus}). Every other package of the module builds on this one;
 * it depends on none of them.
 */
package dev.bootj.system.model;
