package dev.bootj.system.install;

import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.ImageIdentity;
import dev.bootj.system.model.PartitionLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link DiskInstaller} needs: where to install, how, and an image already unpacked by
 * the oci module into {@code stagedRoot}.
 *
 * <p>The staged root is consumed: bootj adds its own files to it (fstab, /usr/etc, units) and
 * moves its /var out to a sibling directory ({@code <stagedRoot>.var}) that becomes the state
 * partition. Unpack into a directory made for this one install.
 *
 * @param target a block device (whole disk) or a disk image file
 * @param createSizeBytes size of the image file to create when {@code target} does not exist, else null
 * @param wipe allow overwriting a device or image that already has partitions
 * @param filesystem for both root slots and the state partition
 * @param slotSizeBytes size of each root slot; null lets {@link PartitionLayout} choose
 * @param espSizeBytes size of the EFI system partition; null for {@link PartitionLayout#ESP_SIZE}
 * @param extraKargs kernel arguments added after the image's own kargs.d ones
 * @param rootSshAuthorizedKeys becomes /root/.ssh/authorized_keys; null for none
 * @param stagedRoot the unpacked image
 * @param image what the image is, for boot menu titles and bootj's records
 * @param seed the store holding the image, copied into the machine's own store so that its first
 *     update downloads only changed layers; null to leave the machine's store empty
 */
public record InstallRequest(
    Path target,
    Long createSizeBytes,
    boolean wipe,
    FilesystemType filesystem,
    Long slotSizeBytes,
    Long espSizeBytes,
    List<String> extraKargs,
    Path rootSshAuthorizedKeys,
    Path stagedRoot,
    ImageIdentity image,
    ImageSeed seed) {

  /** Where the installed image's blobs come from: a store and the reference it was pulled as. */
  public record ImageSeed(dev.bootj.oci.store.BlobStore store, String reference, String recordAs) {}

  public InstallRequest(Path target, Long createSizeBytes, boolean wipe, FilesystemType filesystem,
      Long slotSizeBytes, List<String> extraKargs, Path rootSshAuthorizedKeys, Path stagedRoot, ImageIdentity image) {
    this(target, createSizeBytes, wipe, filesystem, slotSizeBytes, null, extraKargs, rootSshAuthorizedKeys, stagedRoot,
        image, null);
  }

  /** The ESP's size: the one asked for, else {@link PartitionLayout#ESP_SIZE}. */
  public long espSizeOrDefault() {
    return espSizeBytes != null ? espSizeBytes : PartitionLayout.ESP_SIZE;
  }

  public InstallRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(filesystem, "filesystem");
    Objects.requireNonNull(stagedRoot, "stagedRoot");
    Objects.requireNonNull(image, "image");
    extraKargs = extraKargs == null ? List.of() : List.copyOf(extraKargs);
  }
}
