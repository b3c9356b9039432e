package dev.bootj.oci.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarReaderTest {

  private static final byte[] CAPABILITY = {
    1, 0, 0, 2, (byte) 0x00, 0x20, 0, 0, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private record Read(TarEntry entry, byte[] content) {}

  private static List<Read> readAll(byte[] tar) throws IOException {
    TarReader reader = new TarReader(new ByteArrayInputStream(tar));
    List<Read> entries = new ArrayList<>();
    for (TarEntry e = reader.next(); e != null; e = reader.next()) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      reader.copyContent(Channels.newChannel(content));
      entries.add(new Read(e, content.toByteArray()));
    }
    return entries;
  }

  @Test
  void readsTypesAndMetadata() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.dir("etc").mode(0750).owner(3, 4).mtime(1234);
    tar.file("etc/hosts", "127.0.0.1 localhost\n").mode(04755).owner(1000, 1001);
    tar.symlink("lib", "/usr/lib");
    tar.hardlink("etc/hosts2", "etc/hosts");
    tar.fifo("run/fifo");
    tar.charDevice("dev/null", 1, 3);
    tar.blockDevice("dev/sda", 8, 0);

    List<Read> entries = readAll(tar.build());

    assertThat(entries).extracting(r -> r.entry().kind()).containsExactly(
        LayerListing.Type.DIRECTORY, LayerListing.Type.FILE, LayerListing.Type.SYMLINK, LayerListing.Type.HARDLINK,
        LayerListing.Type.FIFO, LayerListing.Type.CHAR_DEVICE, LayerListing.Type.BLOCK_DEVICE);
    TarEntry dir = entries.get(0).entry();
    assertThat(dir.name()).isEqualTo("etc/");
    assertThat(dir.mode()).isEqualTo(0750);
    assertThat(dir.uid()).isEqualTo(3);
    assertThat(dir.gid()).isEqualTo(4);
    assertThat(dir.mtime()).isEqualTo(Instant.ofEpochSecond(1234));
    assertThat(entries.get(1).entry().mode()).isEqualTo(04755);
    assertThat(new String(entries.get(1).content(), StandardCharsets.UTF_8)).isEqualTo("127.0.0.1 localhost\n");
    assertThat(entries.get(2).entry().linkName()).isEqualTo("/usr/lib");
    assertThat(entries.get(3).entry().linkName()).isEqualTo("etc/hosts");
    assertThat(entries.get(6).entry().devMajor()).isEqualTo(8);
    assertThat(entries.get(5).entry().devMinor()).isEqualTo(3);
  }

  @Test
  void paxValuesStayBinary() throws IOException {
    byte[] notUtf8 = {(byte) 0xff, 0, (byte) 0xc3, '\n', '=', 0x7f};
    TarBuilder tar = new TarBuilder();
    tar.file("ping", "x").xattr("security.capability", CAPABILITY).xattr("user.raw", notUtf8);
    tar.file("other", "y").libarchiveXattr("user.b64", notUtf8).libarchiveXattr("user.with%20space", new byte[] {1});

    List<Read> entries = readAll(tar.build());

    assertThat(entries.get(0).entry().xattrs().get("security.capability")).isEqualTo(CAPABILITY);
    assertThat(entries.get(0).entry().xattrs().get("user.raw")).isEqualTo(notUtf8);
    assertThat(entries.get(1).entry().xattrs().get("user.b64")).isEqualTo(notUtf8);
    assertThat(entries.get(1).entry().xattrs()).containsKey("user.with space");
  }

  @Test
  void longNamesThroughPaxAndGnu() throws IOException {
    String longName = "d/" + "a".repeat(150) + "/" + "ü".repeat(80);
    String longTarget = "t/" + "b".repeat(200);
    TarBuilder tar = new TarBuilder();
    tar.file(longName, "pax");
    tar.symlink(longName + "-gnu", longTarget).gnuLongNames();
    tar.hardlink("h", longName + "-x").gnuLongNames();

    List<Read> entries = readAll(tar.build());

    assertThat(entries.get(0).entry().name()).isEqualTo(longName);
    assertThat(entries.get(1).entry().name()).isEqualTo(longName + "-gnu");
    assertThat(entries.get(1).entry().linkName()).isEqualTo(longTarget);
    assertThat(entries.get(2).entry().linkName()).isEqualTo(longName + "-x");
  }

  @Test
  void ustarPrefixField() throws IOException {
    TarBuilder builder = new TarBuilder();
    builder.file("short", "z");
    byte[] tar = builder.build();
    // Move a directory into the prefix field (offset 345) and fix the checksum.
    byte[] prefix = "some/dir".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, tar, 345, prefix.length);
    rewriteChecksum(tar, 0);

    assertThat(readAll(tar).get(0).entry().name()).isEqualTo("some/dir/short");
  }

  @Test
  void paxMtimeWithNanosecondsAndPaxOwner() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.file("f", "").mtime(1_700_000_000L, 123_456_789).owner(70000, 80000).paxOwner();
    TarEntry entry = readAll(tar.build()).get(0).entry();
    assertThat(entry.mtime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
    assertThat(entry.uid()).isEqualTo(70000);
    assertThat(entry.gid()).isEqualTo(80000);
  }

  @Test
  void base256Numbers() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.file("f", "").owner(3_000_000_000L, 4_000_000L);
    TarEntry entry = readAll(tar.build()).get(0).entry();
    assertThat(entry.uid()).isEqualTo(3_000_000_000L);
    assertThat(entry.gid()).isEqualTo(4_000_000L);
  }

  @Test
  void globalHeaderAppliesToLaterEntries() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.globalPax("uid", "4242");
    tar.file("a", "");
    tar.file("b", "").owner(1, 1).paxOwner();
    List<Read> entries = readAll(tar.build());
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).entry().uid()).isEqualTo(4242);
    assertThat(entries.get(1).entry().uid()).isEqualTo(1);
  }

  @Test
  void readsExactlyThroughTheEndBlocks() throws IOException {
    TarBuilder builder = new TarBuilder();
    builder.file("a", "hello");
    byte[] tar = builder.build();
    byte[] withTrailer = Arrays.copyOf(tar, tar.length + 100);
    Arrays.fill(withTrailer, tar.length, withTrailer.length, (byte) 7);
    ByteArrayInputStream in = new ByteArrayInputStream(withTrailer);
    TarReader reader = new TarReader(in);
    assertThat(reader.next()).isNotNull();
    assertThat(reader.next()).isNull();
    assertThat(in.available()).isEqualTo(100);
  }

  @Test
  void eofWithoutEndBlocksIsAccepted() throws IOException {
    TarBuilder builder = new TarBuilder();
    builder.file("a", "x");
    assertThat(readAll(builder.buildWithoutEnd())).hasSize(1);
    assertThat(readAll(new byte[0])).isEmpty();
  }

  @Test
  void eofRightAfterDataIsTheEndOfTheArchive() throws IOException {
    // umoci insert FILE PATH: no padding to a whole block, no end-of-archive blocks.
    TarBuilder builder = new TarBuilder();
    builder.dir("d");
    builder.file("d/f", "data");
    List<Read> entries = readAll(builder.buildEndingRightAfterData());
    assertThat(entries).hasSize(2);
    assertThat(new String(entries.get(1).content(), StandardCharsets.UTF_8)).isEqualTo("data");
  }

  @Test
  void eofInsideDataOrPaddingIsTruncation() {
    TarBuilder builder = new TarBuilder();
    builder.file("f", "data");
    byte[] tar = builder.buildEndingRightAfterData();
    assertThatThrownBy(() -> readAll(Arrays.copyOf(tar, tar.length - 1)))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("truncated");
    byte[] partialPadding = Arrays.copyOf(builder.buildWithoutEnd(), tar.length + 100);
    assertThatThrownBy(() -> readAll(partialPadding))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void base256SizeOfAFileOverEightGib() throws IOException {
    TarBuilder builder = new TarBuilder();
    builder.file("huge", "");
    byte[] tar = builder.build();
    long size = 9L << 30;
    tar[124] = (byte) 0x80;
    for (int i = 11; i >= 1; i--) {
      tar[124 + i] = (byte) (size >> (8 * (11 - i)));
    }
    rewriteChecksum(tar, 0);
    TarEntry entry = new TarReader(new ByteArrayInputStream(tar)).next();
    assertThat(entry.size()).isEqualTo(size);
  }

  @Test
  void contentIsSkippedWhenNotRead() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.file("a", "x".repeat(5000));
    tar.file("b", "y");
    TarReader reader = new TarReader(new ByteArrayInputStream(tar.build()));
    reader.next();
    assertThat(reader.next().name()).isEqualTo("b");
  }

  @Test
  void badChecksumIsRefused() {
    TarBuilder builder = new TarBuilder();
    builder.file("a", "x");
    byte[] tar = builder.build();
    tar[10] ^= 1;
    assertThatThrownBy(() -> readAll(tar))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("bad checksum");
  }

  @Test
  void truncatedArchivesAreRefused() {
    TarBuilder builder = new TarBuilder();
    builder.file("a", "x".repeat(2000));
    builder.file("b", "y");
    byte[] tar = builder.build();
    assertThatThrownBy(() -> readAll(Arrays.copyOf(tar, 1000)))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> readAll(Arrays.copyOf(tar, 300)))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void sparseFilesAreRefused() {
    TarBuilder gnu = new TarBuilder();
    gnu.file("holes", "").type('S');
    assertThatThrownBy(() -> readAll(gnu.build()))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("'holes'")
        .hasMessageContaining("tar type 'S', old GNU sparse");
    TarBuilder pax = new TarBuilder();
    pax.file("holes2", "").pax("GNU.sparse.major", "1");
    assertThatThrownBy(() -> readAll(pax.build()))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("'holes2'").hasMessageContaining("PAX GNU.sparse.major");
  }

  @Test
  void namesMustBeUtf8() {
    TarBuilder tar = new TarBuilder();
    tar.fileWithRawName(new byte[] {'b', 'a', 'd', (byte) 0xe9}, new byte[0]);
    assertThatThrownBy(() -> readAll(tar.build()))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("not valid UTF-8")
        .hasMessageContaining("bad");
  }

  @Test
  void unknownTypesAreRefused() {
    TarBuilder tar = new TarBuilder();
    tar.file("vol", "").type('V');
    assertThatThrownBy(() -> readAll(tar.build()))
        .isInstanceOf(InvalidLayerException.class)
        .hasMessageContaining("'vol'")
        .hasMessageContaining("'V'");
  }

  @Test
  void oldStyleDirectoryByTrailingSlash() throws IOException {
    TarBuilder tar = new TarBuilder();
    tar.file("olddir/", "").type('\0');
    tar.file("oldfile", "").type('\0');
    List<Read> entries = readAll(tar.build());
    assertThat(entries.get(0).entry().kind()).isEqualTo(LayerListing.Type.DIRECTORY);
    assertThat(entries.get(1).entry().kind()).isEqualTo(LayerListing.Type.FILE);
  }

  static void rewriteChecksum(byte[] tar, int headerOffset) {
    Arrays.fill(tar, headerOffset + 148, headerOffset + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[headerOffset + i] & 0xff;
    }
    byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, tar, headerOffset + 148, 6);
    tar[headerOffset + 154] = 0;
  }
}
