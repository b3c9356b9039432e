package dev.bootj.oci.layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A tar archive of an OCI image layout ({@code oci-archive:FILE}), read in place: commons-compress
 * indexes the entries once and then reads each blob by seeking, so nothing is extracted to disk.
 */
final class ArchiveLayoutFiles implements LayoutFiles {

  private final Path archive;
  private final TarFile tar;
  private final Map<String, TarArchiveEntry> entries = new HashMap<>();

  ArchiveLayoutFiles(Path archive) throws IOException {
    this.archive = archive;
    this.tar = new TarFile(archive);
    for (TarArchiveEntry entry : tar.getEntries()) {
      if (entry.isFile()) {
        entries.put(normalise(entry.getName()), entry);
      }
    }
  }

  private static String normalise(String name) {
    while (name.startsWith("./")) {
      name = name.substring(2);
    }
    return name.startsWith("/") ? name.substring(1) : name;
  }

  @Override
  public InputStream open(String relativePath) throws IOException {
    TarArchiveEntry entry = entries.get(relativePath);
    if (entry == null) {
      throw new NoSuchFileException(archive + "!" + relativePath);
    }
    return tar.getInputStream(entry);
  }

  @Override
  public boolean exists(String relativePath) {
    return entries.containsKey(relativePath);
  }

  @Override
  public String describe() {
    return "OCI archive " + archive;
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
