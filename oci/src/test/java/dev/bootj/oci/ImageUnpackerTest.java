package dev.bootj.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.store.ImageCopy;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.OfflinePullOptions;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.tree.StoredListings;
import dev.bootj.oci.unpack.LayerListing;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking from an OCI layout: the store ends up with each layer and its listing, read in the same pass. */
class ImageUnpackerTest {

  @TempDir Path dir;
  Path layout;
  byte[] base;
  byte[] upper;

  @BeforeEach
  void twoLayerImage() throws Exception {
    TarBuilder lower = new TarBuilder();
    lower.dir("etc");
    lower.file("etc/hostname", "box\n").mode(0640).owner(0, 0);
    lower.file("etc/old", "gone soon\n");
    lower.symlink("etc/localtime", "/usr/share/zoneinfo/UTC");
    lower.hardlink("etc/hostname.link", "etc/hostname");
    TarBuilder top = new TarBuilder();
    top.whiteout("etc/old");
    top.file("usr/share/doc/new", "new content\n");
    base = lower.build();
    upper = top.build();
    layout = dir.resolve("layout");
    OciLayoutWriter.write(layout, "1", List.of(OciLayoutWriter.Layer.gzip(base), OciLayoutWriter.Layer.gzip(upper)),
        Map.of());
  }

  private ImageUnpacker unpacker(BlobStore store) throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.json"), "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}");
    PullOptions options = OfflinePullOptions.under(TrustPolicy.of(policy, dir.resolve("registries.d")));
    return new ImageUnpacker(store, options, ProgressListener.NONE);
  }

  @Test
  void eachLayersListingIsSavedAsReadingTheLayerAloneGivesIt() throws Exception {
    BlobStore store = BlobStore.open(dir.resolve("store"));
    UnpackedImage unpacked = unpacker(store).unpack(ImageReference.parse("oci:" + layout + ":1"), dir.resolve("root"),
        PullPolicy.MISSING);

    List<Descriptor> layers = unpacked.image().manifest().layers();
    assertThat(store.listingPath(layers.get(0).digest())).isRegularFile();
    // The cache is what is read back; a blob deleted afterwards proves it is not read again.
    Files.delete(store.blobPath(layers.get(0).digest()));
    Files.delete(store.blobPath(layers.get(1).digest()));
    StoredListings listings = new StoredListings(store);
    assertThat(listings.find(layers.get(0))).isEqualTo(LayerListing.read(new ByteArrayInputStream(base)));
    assertThat(listings.find(layers.get(1))).isEqualTo(LayerListing.read(new ByteArrayInputStream(upper)));
  }

  @Test
  void aCachedListingIsLeftAsItIsAndCopiedWithTheImage() throws Exception {
    BlobStore store = BlobStore.open(dir.resolve("store"));
    ImageReference reference = ImageReference.parse("oci:" + layout + ":1");
    UnpackedImage first = unpacker(store).unpack(reference, dir.resolve("root"), PullPolicy.MISSING);
    Descriptor layer = first.image().manifest().layers().get(0);
    Path listing = store.listingPath(layer.digest());
    Files.setLastModifiedTime(listing, FileTime.fromMillis(1_000_000L));

    unpacker(store).unpack(reference, dir.resolve("root2"), PullPolicy.MISSING);
    assertThat(Files.getLastModifiedTime(listing).toMillis()).as("not listed again").isEqualTo(1_000_000L);

    Path machine = dir.resolve("machine-store");
    ImageCopy.copy(store, first.image().reference(), machine);
    BlobStore copy = BlobStore.open(machine);
    for (Descriptor l : first.image().manifest().layers()) {
      assertThat(copy.listingPath(l.digest())).hasSameBinaryContentAs(store.listingPath(l.digest()));
    }
  }
}
