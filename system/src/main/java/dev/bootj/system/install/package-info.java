/**
 * {@code bootj install to-disk}, shaped preflight, plan, apply:
 * {@link dev.bootj.system.install.InstallService} unpacks the image into a staging directory,
 * {@link dev.bootj.system.install.Preflight} makes every check before a byte is written and returns
 * the {@link dev.bootj.system.install.InstallPlan}, and {@link dev.bootj.system.install.DiskInstaller}
 * writes it. {@link dev.bootj.system.install.InstallReport} is what {@code --json} prints.
 */
package dev.bootj.system.install;
