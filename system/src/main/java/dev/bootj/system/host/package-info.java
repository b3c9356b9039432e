/**
 * The machine bootj runs on: its programs (found also in sbin, named with their packages when
 * missing), run with a deadline and a one-line error, and scratch trees bootj removes again.
 */
package dev.bootj.system.host;
