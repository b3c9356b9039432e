package dev.bootj.system.update;

import dev.bootj.system.model.ImageIdentity;
import java.nio.file.Path;

/**
 * An image unpacked into {@code stagedRoot}, to be staged into the slot that is not in use. The
 * directory is consumed: it becomes the slot's tree and is removed afterwards.
 */
public record UpdateRequest(Path stagedRoot, ImageIdentity image) {}
