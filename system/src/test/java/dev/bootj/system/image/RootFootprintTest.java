package dev.bootj.system.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootFootprintTest {

  @Test
  void countsBlocksHardLinksOnceEtcTwiceAndVarApart(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("usr"));
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("var"));
    Files.write(root.resolve("usr/a"), new byte[5000]);
    Files.createLink(root.resolve("usr/b"), root.resolve("usr/a"));
    Files.write(root.resolve("etc/c"), new byte[10]);
    Files.write(root.resolve("var/d"), new byte[4097]);
    Files.createSymbolicLink(root.resolve("usr/short"), Path.of("a"));
    RootFootprint footprint = RootFootprint.measure(root);
    // root dir, usr, etc (twice): 4 blocks; usr/a: 2 blocks; etc/c twice: 2 blocks.
    assertThat(footprint.rootBytes()).isEqualTo(8 * 4096);
    // var dir and var/d (2 blocks).
    assertThat(footprint.varBytes()).isEqualTo(3 * 4096);
  }
}
