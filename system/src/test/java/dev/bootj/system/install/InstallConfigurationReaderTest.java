package dev.bootj.system.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.oci.testing.TarBuilder;
import dev.bootj.oci.tree.ImageTree;
import dev.bootj.oci.tree.TreePatcher;
import dev.bootj.oci.unpack.LayerListing;
import dev.bootj.oci.unpack.LayerUnpacker;
import dev.bootj.system.model.FilesystemType;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration read from an image's layers (print-configuration) is the one read from the
 * same layers unpacked by {@link LayerUnpacker} (install): overridden files, whiteouts, hard links,
 * and the same refusal of a symbolic link. Only the layers holding install.d files are opened.
 */
class InstallConfigurationReaderTest {

  @TempDir Path dir;

  private static TarBuilder installD(TarBuilder tar) {
    tar.dir("usr");
    tar.dir("usr/lib");
    tar.dir("usr/lib/bootj");
    tar.dir("usr/lib/bootj/install.d");
    return tar;
  }

  @Test
  void layersGiveWhatTheUnpackedRootGives() throws Exception {
    TarBuilder base = installD(new TarBuilder());
    base.file("usr/lib/bootj/install.d/10-base.toml", "[install]\nfilesystem = \"ext4\"\nkargs = [\"console=ttyS0\"]\n");
    base.file("usr/lib/bootj/install.d/20-size.toml", "[install]\nslot-size = \"2G\"\n");
    base.file("usr/lib/bootj/install.d/30-gone.toml", "[install]\nesp-size = \"1G\"\n");
    base.dir("usr/share");
    base.file("usr/share/shared.toml", "[install]\nkargs = [\"quiet\"]\n");
    TarBuilder unrelated = new TarBuilder();
    unrelated.dir("etc");
    unrelated.file("etc/hostname", "tiny\n");
    TarBuilder top = installD(new TarBuilder());
    top.file("usr/lib/bootj/install.d/20-size.toml", "[install]\nslot-size = \"3G\"\nfilesystem = \"xfs\"\n");
    top.whiteout("usr/lib/bootj/install.d/30-gone.toml");
    top.hardlink("usr/lib/bootj/install.d/40-linked.toml", "usr/share/shared.toml");
    List<byte[]> layers = List.of(base.build(), unrelated.build(), top.build());

    List<Integer> opened = new ArrayList<>();
    InstallConfiguration fromLayers = InstallConfiguration.fromFiles(
        InstallConfigurationReader.readFiles(tree(layers), opener(layers, opened)));
    InstallConfiguration fromRoot = InstallConfiguration.load(unpack(layers));

    assertThat(fromLayers).isEqualTo(fromRoot);
    assertThat(fromLayers.filesystem()).isEqualTo(FilesystemType.XFS);
    assertThat(fromLayers.slotSizeBytes()).isEqualTo(3L << 30);
    assertThat(fromLayers.espSizeBytes()).as("the whited-out file is gone").isNull();
    assertThat(fromLayers.kargs()).containsExactly("console=ttyS0", "quiet");
    assertThat(opened).as("the layer without install.d files is never read").containsExactly(0, 2);
  }

  @Test
  void aSymbolicLinkIsRefusedFromLayersAsFromTheRoot() throws Exception {
    TarBuilder layer = installD(new TarBuilder());
    layer.file("usr/lib/bootj/real.conf", "[install]\nfilesystem = \"xfs\"\n");
    layer.symlink("usr/lib/bootj/install.d/10-link.toml", "../real.conf");
    List<byte[]> layers = List.of(layer.build());
    String expected = InstallConfiguration.DIRECTORY + "/10-link.toml in the image is a symbolic link";

    assertThatThrownBy(() -> InstallConfigurationReader.readFiles(tree(layers), opener(layers, new ArrayList<>())))
        .hasMessageStartingWith(expected);
    assertThatThrownBy(() -> InstallConfiguration.load(unpack(layers))).hasMessageStartingWith(expected);
  }

  @Test
  void anImageWithoutInstallDReadsNoLayer() throws Exception {
    TarBuilder layer = new TarBuilder();
    layer.file("etc/hostname", "tiny\n");
    List<byte[]> layers = List.of(layer.build());
    List<Integer> opened = new ArrayList<>();
    SortedMap<String, String> files = InstallConfigurationReader.readFiles(tree(layers), opener(layers, opened));
    assertThat(files).isEmpty();
    assertThat(opened).isEmpty();
  }

  private static ImageTree tree(List<byte[]> layers) throws Exception {
    List<List<LayerListing.Entry>> listings = new ArrayList<>();
    for (byte[] layer : layers) {
      listings.add(LayerListing.read(new ByteArrayInputStream(layer)));
    }
    return ImageTree.of(listings);
  }

  private static TreePatcher.LayerOpener opener(List<byte[]> layers, List<Integer> opened) {
    return index -> {
      opened.add(index);
      return new ByteArrayInputStream(layers.get(index));
    };
  }

  private Path unpack(List<byte[]> layers) throws Exception {
    Path root = dir.resolve("root-" + System.nanoTime());
    java.nio.file.Files.createDirectories(root);
    LayerUnpacker unpacker = new LayerUnpacker(root, w -> { });
    for (byte[] layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer));
    }
    return root;
  }
}
