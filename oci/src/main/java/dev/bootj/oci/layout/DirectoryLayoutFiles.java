package dev.bootj.oci.layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An OCI image layout directory ({@code oci:DIR}). */
final class DirectoryLayoutFiles implements LayoutFiles {

  private final Path root;

  DirectoryLayoutFiles(Path root) {
    this.root = root;
  }

  @Override
  public InputStream open(String relativePath) throws IOException {
    return Files.newInputStream(root.resolve(relativePath));
  }

  @Override
  public boolean exists(String relativePath) {
    return Files.isRegularFile(root.resolve(relativePath));
  }

  @Override
  public String describe() {
    return "OCI layout " + root;
  }

  @Override
  public void close() {}
}
