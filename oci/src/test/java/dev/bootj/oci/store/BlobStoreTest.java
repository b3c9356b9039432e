package dev.bootj.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.MediaTypes;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void committedBlobIsStoredUnderItsDigest() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] content = bytes("layer content");
    Digest digest = Digest.of(content);
    try (BlobWriter writer = store.newWriter(digest, content.length, "test blob")) {
      writer.write(content, 0, 5);
      assertThat(store.contains(digest)).as("not visible before commit").isFalse();
      writer.write(content, 5, content.length - 5);
      writer.commit();
    }
    assertThat(store.contains(digest)).isTrue();
    assertThat(store.read(digest)).isEqualTo(content);
    try (var temps = Files.list(dir.resolve("tmp"))) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void wrongContentIsNeverStored() throws Exception {
    BlobStore store = BlobStore.open(dir);
    Digest claimed = Digest.of(bytes("what the manifest says"));
    byte[] actual = bytes("what the registry sent!");
    BlobWriter writer = store.newWriter(claimed, actual.length, "layer x");
    writer.write(actual);
    assertThatThrownBy(writer::commit).isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("layer x does not match its digest").hasMessageContaining(claimed.toString());
    writer.close();
    assertThat(store.contains(claimed)).isFalse();
    try (var temps = Files.list(dir.resolve("tmp"))) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void moreBytesThanTheDescriptorSaysStopsTheWrite() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] content = bytes("0123456789");
    try (BlobWriter writer = store.newWriter(Digest.of(content), 4, "layer y")) {
      assertThatThrownBy(() -> writer.write(content)).isInstanceOf(BootjException.class).hasMessageContaining("larger than the 4 bytes");
    }
  }

  @Test
  void abandonedWriteLeavesNoBlob() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] content = bytes("partial");
    try (BlobWriter writer = store.newWriter(Digest.of(content), content.length, "z")) {
      writer.write(content, 0, 3);
    }
    assertThat(store.contains(Digest.of(content))).isFalse();
  }

  @Test
  void concurrentWritersOfTheSameBlobBothSucceed() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] content = new byte[3 << 20];
    new java.util.Random(1).nextBytes(content);
    Digest digest = Digest.of(content);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(pool.submit(() -> {
        try (BlobWriter writer = store.newWriter(digest, content.length, "big")) {
          for (int off = 0; off < content.length; off += 65536) {
            writer.write(content, off, Math.min(65536, content.length - off));
          }
          writer.commit();
        }
        return null;
      }));
    }
    for (Future<?> f : results) {
      f.get();
    }
    pool.shutdown();
    assertThat(Digest.of(store.read(digest))).isEqualTo(digest);
  }

  @Test
  void pruneKeepsWhatRecordedImagesNeedAndRemovesTheRest() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] config = bytes("{}");
    byte[] layer = bytes("kept layer");
    byte[] orphan = bytes("orphan layer");
    byte[] extra = bytes("kept by caller");
    for (byte[] b : List.of(config, layer, orphan, extra)) {
      store.put(Digest.of(b), b, "blob");
    }
    Files.writeString(dir.resolve("tmp").resolve("dead.partial"), "left by a killed pull");
    ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST,
        new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(config), config.length),
        List.of(new Descriptor("application/vnd.oci.image.layer.v1.tar", Digest.of(layer), layer.length)), Map.of());
    ImageRecords.of(store).save(new ImageRecord("registry.example/os:1", Digest.of(bytes("m")), manifest,
        Platform.parse("linux/amd64"), Instant.now(), null));

    StorePruner.Result result = new StorePruner(store).prune(Set.of(Digest.of(extra)));

    assertThat(result.blobsRemoved()).isEqualTo(1);
    assertThat(result.blobsKept()).isEqualTo(3);
    assertThat(store.contains(Digest.of(orphan))).isFalse();
    assertThat(store.contains(Digest.of(layer))).isTrue();
    assertThat(store.contains(Digest.of(config))).isTrue();
    assertThat(store.contains(Digest.of(extra))).isTrue();
    assertThat(dir.resolve("tmp").resolve("dead.partial")).doesNotExist();
  }

  @Test
  void pruneRecordsForgetsImagesNotKeptAndTheBlobsOnlyTheyNeeded() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] config = bytes("{}");
    byte[] shared = bytes("shared base layer");
    byte[] oldTop = bytes("old top layer");
    byte[] newTop = bytes("new top layer");
    for (byte[] b : List.of(config, shared, oldTop, newTop)) {
      store.put(Digest.of(b), b, "blob");
    }
    Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(config), config.length);
    ImageManifest old = new ImageManifest(MediaTypes.OCI_MANIFEST, configDescriptor,
        List.of(layer(shared), layer(oldTop)), Map.of());
    ImageManifest current = new ImageManifest(MediaTypes.OCI_MANIFEST, configDescriptor,
        List.of(layer(shared), layer(newTop)), Map.of());
    ImageRecords.of(store).save(new ImageRecord("registry.example/os:1", Digest.of(bytes("m1")), old, null, Instant.now(), null));
    ImageRecords.of(store).save(new ImageRecord("registry.example/os:2", Digest.of(bytes("m2")), current, null, Instant.now(), null));

    StorePruner.Result result = new StorePruner(store)
        .pruneRecords(record -> record.manifestDigest().equals(Digest.of(bytes("m2"))));

    assertThat(ImageRecords.of(store).all()).extracting(ImageRecord::reference).containsExactly("registry.example/os:2");
    assertThat(result.blobsRemoved()).isEqualTo(1);
    assertThat(store.contains(Digest.of(oldTop))).isFalse();
    assertThat(store.contains(Digest.of(shared))).isTrue();
    assertThat(store.contains(Digest.of(newTop))).isTrue();
    assertThat(store.contains(Digest.of(config))).isTrue();
  }

  private static Descriptor layer(byte[] content) {
    return new Descriptor("application/vnd.oci.image.layer.v1.tar", Digest.of(content), content.length);
  }

  @Test
  void recordsRoundTrip() throws Exception {
    BlobStore store = BlobStore.open(dir);
    ImageManifest manifest = new ImageManifest(MediaTypes.DOCKER_MANIFEST,
        new Descriptor(MediaTypes.DOCKER_CONFIG, Digest.of(bytes("c")), 1),
        List.of(new Descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", Digest.of(bytes("l")), 9)),
        Map.of("k", "v"));
    ImageRecord record = new ImageRecord("localhost:5000/os:1", Digest.of(bytes("m")), manifest, null, Instant.parse("2026-01-01T00:00:00Z"), null);
    ImageRecords.of(store).save(record);
    assertThat(ImageRecords.of(store).find("localhost:5000/os:1")).contains(record);
    assertThat(ImageRecords.of(store).all()).containsExactly(record);
    assertThat(ImageRecords.of(store).withManifestDigest(Digest.of(bytes("m")).toString())).contains(record);
    assertThat(ImageRecords.of(store).withManifestDigest(Digest.of(bytes("other")).toString())).isEmpty();
    assertThat(ImageRecords.of(store).remove("localhost:5000/os:1")).isTrue();
    assertThat(ImageRecords.of(store).find("localhost:5000/os:1")).isEmpty();
  }

  @Test
  void pruneIsRefusedWhileTheStoreIsInUse() throws Exception {
    BlobStore store = BlobStore.open(dir);
    try (StoreLock inUse = store.lock(false)) {
      assertThatThrownBy(() -> new StorePruner(store).prune(Set.of()))
          .isInstanceOf(BootjException.class).hasMessageContaining("another bootj");
    }
    assertThat(new StorePruner(store).prune(Set.of()).blobsRemoved()).isZero();
  }
}
