package dev.bootj.oci.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.store.BlobStore;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.unpack.LayerListing;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredListingsTest {

  @TempDir Path temp;

  @Test
  void aLayerIsReadFromItsBlobOnceThenFromTheCacheEvenWhenTheBlobIsGone() throws Exception {
    BlobStore store = BlobStore.open(temp.resolve("store"));
    TarBuilder tar = new TarBuilder();
    tar.dir("etc").mtime(1_600_000_000L, 250_000_000);
    tar.file("etc/hostname", "box\n").owner(1, 2).mode(0640).xattr("user.note", new byte[] {0, (byte) 0xff});
    tar.symlink("etc/localtime", "/usr/share/zoneinfo/UTC");
    tar.hardlink("etc/hostname.link", "etc/hostname");
    tar.charDevice("dev/null", 1, 3);
    byte[] gzip = TarBuilder.gzip(tar.build());
    Digest digest = Digest.of(gzip);
    store.put(digest, gzip, "test layer");
    Descriptor layer = new Descriptor(OciLayoutWriter.TAR_GZIP, digest, gzip.length);

    List<LayerListing.Entry> fromBlob = new StoredListings(store).find(layer);
    assertThat(fromBlob).isEqualTo(LayerListing.read(new ByteArrayInputStream(tar.build())));
    assertThat(store.listingPath(digest)).isRegularFile();

    Files.delete(store.blobPath(digest));
    assertThat(new StoredListings(store).find(layer)).isEqualTo(fromBlob);
  }

  @Test
  void aDamagedCacheIsReadAgainFromTheBlobAndAMissingLayerIsNull() throws Exception {
    BlobStore store = BlobStore.open(temp.resolve("store"));
    TarBuilder tar = new TarBuilder();
    tar.file("a", "a");
    byte[] gzip = TarBuilder.gzip(tar.build());
    Digest digest = Digest.of(gzip);
    store.put(digest, gzip, "test layer");
    Descriptor layer = new Descriptor(OciLayoutWriter.TAR_GZIP, digest, gzip.length);
    List<LayerListing.Entry> first = new StoredListings(store).find(layer);
    Files.write(store.listingPath(digest), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
    assertThat(new StoredListings(store).find(layer)).isEqualTo(first);

    Files.delete(store.blobPath(digest));
    Files.delete(store.listingPath(digest));
    assertThat(new StoredListings(store).find(layer)).isNull();
    assertThat(new StoredListings(store).tree(List.of(layer))).isNull();
  }
}
