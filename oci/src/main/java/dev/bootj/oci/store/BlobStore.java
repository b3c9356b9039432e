package dev.bootj.oci.store;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Content-addressed storage for blobs: {@code blobs/sha256/<hex>}, written only through {@link
 * BlobWriter}, so a file under that name always holds exactly the content that hashes to it. Several
 * bootj processes may share a store: writers use private temporary files and publish by atomic
 * rename, and {@link #lock} keeps prune away from running pulls.
 */
public final class BlobStore {

  private final Path root;

  private BlobStore(Path root) {
    this.root = root;
  }

  /**
   * The default location: {@code /var/lib/bootj/store} for root, otherwise under {@code
   * $XDG_DATA_HOME} (or {@code ~/.local/share}), as podman separates rootful and rootless storage.
   */
  public static Path defaultLocation(boolean root) {
    if (root) {
      return Path.of("/var/lib/bootj/store");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("bootj").resolve("store");
  }

  public static BlobStore open(Path root) throws BootjException {
    try {
      Files.createDirectories(root.resolve("blobs").resolve("sha256"));
      Files.createDirectories(root.resolve("tmp"));
      Files.createDirectories(root.resolve("images"));
      return new BlobStore(root.toAbsolutePath());
    } catch (IOException e) {
      throw new BootjException(
          BootjException.Kind.SYSTEM,
          "cannot use " + root + " as the image store (" + e + "); choose another with --store DIR or BOOTJ_STORE",
          e);
    }
  }

  public Path root() {
    return root;
  }

  public Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /**
   * Where the listing of the layer {@code digest} is cached ({@code dev.bootj.oci.tree.StoredListings});
   * prune removes it with the blob.
   */
  public Path listingPath(Digest digest) {
    return root.resolve("listings").resolve(digest.algorithm()).resolve(digest.hex() + ".jsonl.gz");
  }

  public boolean contains(Digest digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  /** Reads a small blob (a config or manifest) whole. */
  public byte[] read(Digest digest) throws IOException {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "blob " + digest + " is missing from the store " + root + "; pull the image again");
    }
  }

  /**
   * Starts writing a blob that must turn out to have {@code expected} as its digest and, unless
   * {@code expectedSize} is negative, exactly that many bytes.
   */
  public BlobWriter newWriter(Digest expected, long expectedSize, String description) throws IOException {
    Path temp = root.resolve("tmp").resolve(expected.hex() + "." + UUID.randomUUID() + ".partial");
    return new BlobWriter(this, expected, expectedSize, description, temp);
  }

  /** Stores a small blob that is already in memory, after checking its digest. */
  public void put(Digest expected, byte[] content, String description) throws IOException {
    if (contains(expected)) {
      return;
    }
    try (BlobWriter writer = newWriter(expected, content.length, description)) {
      writer.write(content);
      writer.commit();
    }
  }

  ImageRecords images() {
    return new ImageRecords(root.resolve("images"));
  }

  Path tmpDirectory() {
    return root.resolve("tmp");
  }

  /**
   * Takes the store's lock: shared for pulls and unpacks (they only ever add), exclusive for prune
   * (it deletes). Refuses rather than waits, so a second command says why it cannot run.
   */
  public StoreLock lock(boolean exclusive) throws IOException {
    return StoreLock.acquire(root.resolve("lock"), exclusive, root.toString());
  }

  /** Fsyncs a directory so that a rename into it survives power loss. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
