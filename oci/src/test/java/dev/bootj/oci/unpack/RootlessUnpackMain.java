package dev.bootj.oci.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Applies tar files to a root and prints each warning on its own line prefixed "WARNING ". Run by
 * {@link RootlessModeTest} as an unprivileged user, which a JUnit JVM running as root cannot be.
 */
public final class RootlessUnpackMain {

  private RootlessUnpackMain() {}

  public static void main(String[] args) throws IOException {
    LayerUnpacker unpacker = new LayerUnpacker(Paths.get(args[0]), w -> System.out.println("WARNING " + w));
    for (int i = 1; i < args.length; i++) {
      try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
        unpacker.apply(in);
      }
    }
    System.out.println("DONE");
  }
}
