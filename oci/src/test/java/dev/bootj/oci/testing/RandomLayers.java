package dev.bootj.oci.testing;

import java.io.IOException;
import java.util.Random;

/**
 * Small random layers over a tiny name space ("a" to "d", up to three deep), so that entries of
 * different layers meet often: files, directories (some setgid), symlinks (relative and absolute),
 * whiteouts, opaque markers, hard links, FIFOs, owners and user xattrs. Layers that an unpacker
 * must refuse come out too (a hard link to nothing, a file where a directory is needed).
 */
public final class RandomLayers {

  private static final String[] NAMES = {"a", "b", "c", "d"};

  private RandomLayers() {}

  public static byte[] layer(Random random) throws IOException {
    TarBuilder tar = new TarBuilder();
    int entries = 1 + random.nextInt(8);
    for (int i = 0; i < entries; i++) {
      String path = path(random);
      long mtime = 1_600_000_000L + random.nextInt(1000);
      switch (random.nextInt(10)) {
        case 0, 1 -> tar.file(path, "content " + random.nextInt(3)).mode(random.nextBoolean() ? 0644 : 0600).mtime(mtime);
        case 2, 3 -> tar.dir(path).mode(random.nextInt(4) == 0 ? 02775 : 0755).owner(0, random.nextInt(3)).mtime(mtime);
        case 4 -> tar.symlink(path, random.nextBoolean() ? NAMES[random.nextInt(NAMES.length)] : "/" + path(random))
            .mtime(mtime);
        case 5 -> tar.whiteout(path);
        case 6 -> tar.opaque(path);
        case 7 -> tar.file(path, "x").owner(random.nextInt(2), random.nextInt(2)).xattr("user.k", "v" + random.nextInt(2));
        case 8 -> tar.hardlink(path, path(random));
        default -> tar.fifo(path).mtime(mtime);
      }
    }
    return tar.build();
  }

  private static String path(Random random) {
    int depth = 1 + random.nextInt(3);
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      path.append(i == 0 ? "" : "/").append(NAMES[random.nextInt(NAMES.length)]);
    }
    return path.toString();
  }
}
