/**
 * Every check made before the target is touched (tools, target, image, sizes), all problems
 * reported together, and the {@link dev.bootj.installer.preflight.InstallPlan} the writing steps
 * then follow without deciding anything.
 */
package dev.bootj.installer.preflight;
