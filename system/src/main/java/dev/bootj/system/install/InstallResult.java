package dev.bootj.system.install;

import dev.bootj.system.model.BootEntry;
import dev.bootj.system.model.PartitionLayout;
import dev.bootj.system.model.Slot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What was installed where: the layout with its PARTUUIDs, the boot entry written, and warnings. */
public record InstallResult(Path target, PartitionLayout layout, Slot slot, String kernelVersion,
    BootEntry bootEntry, List<String> warnings, Duration elapsed) {}
