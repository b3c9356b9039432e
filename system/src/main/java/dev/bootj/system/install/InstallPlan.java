package dev.bootj.system.install;

import dev.bootj.system.disk.Mke2fs;
import dev.bootj.system.disk.TargetDisk;
import dev.bootj.system.image.BootFiles;
import dev.bootj.system.image.BootLoaderLocator;
import dev.bootj.system.image.RootFootprint;
import dev.bootj.system.model.OsRelease;
import dev.bootj.system.model.PartitionLayout;
import java.util.List;

/**
 * What preflight settled, so the writing steps need to decide nothing: the target, the layout
 * with its PARTUUIDs, and what goes on the ESP.
 *
 * @param createTarget the target is an image file that does not exist yet
 * @param imageKargs kernel arguments from the image's kargs.d (the user's come from the request)
 * @param warnings things the user should know that do not stop the install
 * @param mke2fs the host's mke2fs, for ext4; null for xfs, or when its version could not be read
 */
public record InstallPlan(
    TargetDisk target,
    boolean createTarget,
    PartitionLayout layout,
    RootFootprint footprint,
    BootFiles bootFiles,
    BootLoaderLocator.Found bootLoader,
    OsRelease osRelease,
    List<String> imageKargs,
    List<String> warnings,
    Mke2fs mke2fs) {}
