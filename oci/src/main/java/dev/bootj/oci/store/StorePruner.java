package dev.bootj.oci.store;

import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/** Removes blobs that no recorded image needs, and temporary files left by killed pulls. */
public final class StorePruner {

  /** What a prune removed. */
  public record Result(int blobsRemoved, long bytesFreed, int blobsKept) {}

  private final BlobStore store;

  public StorePruner(BlobStore store) {
    this.store = store;
  }

  /**
   * Prunes under the exclusive lock, so no pull can be adding a blob that a record is about to
   * reference. {@code alsoKeep} protects blobs known elsewhere (for example the booted image).
   */
  public Result prune(Set<Digest> alsoKeep) throws IOException {
    try (StoreLock ignored = store.lock(true)) {
      return sweep(alsoKeep);
    }
  }

  /**
   * Forgets every image record {@code keep} does not accept, then prunes as {@link #prune} does,
   * all under one exclusive lock: a machine keeps the images of its slots and nothing else.
   */
  public Result pruneRecords(Predicate<ImageRecord> keep) throws IOException {
    try (StoreLock ignored = store.lock(true)) {
      ImageRecords records = store.images();
      for (ImageRecord record : records.all()) {
        if (!keep.test(record)) {
          records.remove(record.reference());
        }
      }
      return sweep(Set.of());
    }
  }

  /** Removes unreferenced blobs and partial downloads; the exclusive lock is held. */
  private Result sweep(Set<Digest> alsoKeep) throws IOException {
    Set<String> keep = new HashSet<>();
    for (ImageRecord record : store.images().all()) {
      record.blobs().forEach(d -> keep.add(d.hex()));
    }
    alsoKeep.forEach(d -> keep.add(d.hex()));
    int removed = 0;
    int kept = 0;
    long freed = 0;
    try (DirectoryStream<Path> blobs = Files.newDirectoryStream(store.root().resolve("blobs").resolve("sha256"))) {
      for (Path blob : blobs) {
        if (keep.contains(blob.getFileName().toString())) {
          kept++;
          continue;
        }
        long size = Files.size(blob);
        Files.delete(blob);
        removed++;
        freed += size;
      }
    }
    // A cached listing goes with its layer; it is small, so it is not counted in what was freed.
    Path listings = store.root().resolve("listings").resolve("sha256");
    if (Files.isDirectory(listings)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(listings)) {
        for (Path listing : files) {
          String name = listing.getFileName().toString();
          int dot = name.indexOf('.');
          if (!keep.contains(dot < 0 ? name : name.substring(0, dot))) {
            Files.delete(listing);
          }
        }
      }
    }
    // No pull runs while we hold the exclusive lock, so every partial download is a killed one's.
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(store.tmpDirectory())) {
      for (Path temp : temps) {
        freed += Files.size(temp);
        Files.delete(temp);
      }
    }
    return new Result(removed, freed, kept);
  }
}
