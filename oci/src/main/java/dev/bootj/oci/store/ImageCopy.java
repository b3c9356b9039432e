package dev.bootj.oci.store;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one stored image (its record, manifest, config, layers and the layers' cached listings)
 * into another store, such as the store of a machine being installed: its first update then
 * downloads only the layers that changed and compares listings instead of reading its layers.
 */
public final class ImageCopy {

  private ImageCopy() {}

  /** @return the bytes copied */
  public static long copy(BlobStore from, String reference, Path toRoot) throws IOException {
    return copy(from, reference, toRoot, reference);
  }

  /**
   * Copies as {@link #copy(BlobStore, String, Path)} does and records the image under {@code
   * recordAs} as well, such as the reference an installed machine will follow.
   *
   * @return the bytes copied
   */
  public static long copy(BlobStore from, String reference, Path toRoot, String recordAs) throws IOException {
    ImageRecord record = ImageRecords.of(from).find(reference).orElseThrow(() -> new BootjException(
        BootjException.Kind.SYSTEM, reference + " is not in the store " + from.root()));
    BlobStore to = BlobStore.open(toRoot);
    List<Digest> blobs = new ArrayList<>(record.blobs());
    if (from.contains(record.manifestDigest())) {
      blobs.add(record.manifestDigest());
    }
    long bytes = 0;
    for (Digest digest : blobs) {
      Path target = to.blobPath(digest);
      if (Files.exists(target)) {
        continue;
      }
      // Same publish-by-rename as BlobWriter: a crash never leaves a partial blob under its name.
      Path temporary = to.root().resolve("tmp").resolve(digest.hex() + ".copy");
      Files.copy(from.blobPath(digest), temporary, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      bytes += Files.size(target);
    }
    // The layers' listings too, so the machine's first update need not read its layers again.
    for (Digest digest : blobs) {
      Path listing = from.listingPath(digest);
      Path target = to.listingPath(digest);
      if (Files.isRegularFile(listing) && !Files.exists(target)) {
        Path temporary = to.root().resolve("tmp").resolve(digest.hex() + ".listing.copy");
        Files.createDirectories(target.getParent());
        Files.copy(listing, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    ImageRecords.of(to).save(record);
    if (!recordAs.equals(reference)) {
      ImageRecords.of(to).save(new ImageRecord(recordAs, record.manifestDigest(), record.manifest(), record.platform(),
          record.pulledAt(), record.indexDigest()));
    }
    return bytes;
  }
}
