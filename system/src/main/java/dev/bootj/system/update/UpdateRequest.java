package dev.bootj.system.update;

import dev.bootj.system.model.ImageIdentity;
import java.nio.file.Path;

/**
 * An image unpacked into {@code stagedRoot}, to be staged into the slot that is not in use. The
 * directory is consumed: it becomes the slot's tree and is removed afterwards.
 *
 * @param factoryReset the new slot's /etc is the image's as shipped with an empty machine-id
 *     ({@code bootj reset}), instead of the image's merged with the machine's changes
 */
public record UpdateRequest(Path stagedRoot, ImageIdentity image, boolean factoryReset) {

  /** An update: the machine's /etc changes are merged into the new image's. */
  public UpdateRequest(Path stagedRoot, ImageIdentity image) {
    this(stagedRoot, image, false);
  }
}
