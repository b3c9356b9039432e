package dev.bootj.installer.preflight;

import dev.bootj.installer.PartitionLayout;
import dev.bootj.installer.disk.TargetDisk;
import dev.bootj.installer.image.BootFiles;
import dev.bootj.installer.image.BootLoaderLocator;
import dev.bootj.installer.image.OsRelease;
import dev.bootj.installer.image.RootFootprint;
import java.util.List;

/**
 * What preflight settled, so the writing steps need to decide nothing: the target, the layout
 * with its PARTUUIDs, and what goes on the ESP.
 *
 * @param createTarget the target is an image file that does not exist yet
 * @param imageKargs kernel arguments from the image's kargs.d (the user's come from the request)
 * @param warnings things the user should know that do not stop the install
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
    List<String> warnings) {}
