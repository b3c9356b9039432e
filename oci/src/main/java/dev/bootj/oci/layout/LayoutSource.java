package dev.bootj.oci.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.common.BootjException;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.manifest.ImageIndex;
import dev.bootj.oci.manifest.ImageManifest;
import dev.bootj.oci.manifest.ManifestDocument;
import dev.bootj.oci.manifest.ManifestParser;
import dev.bootj.oci.manifest.Platform;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.reference.DigestMismatchException;
import dev.bootj.oci.reference.LayoutReference;
import dev.bootj.oci.source.ImageSource;
import dev.bootj.oci.source.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Reads an image from an OCI image layout: {@code index.json} names the images, by the {@code
 * org.opencontainers.image.ref.name} annotation when tagged; everything else is under {@code blobs/}.
 */
public final class LayoutSource implements ImageSource {

  static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final LayoutReference reference;
  private final LayoutFiles files;

  private LayoutSource(LayoutReference reference, LayoutFiles files) {
    this.reference = reference;
    this.files = files;
  }

  public static LayoutSource open(LayoutReference reference) throws BootjException {
    boolean archive = reference.kind() == LayoutReference.Kind.ARCHIVE;
    if (archive ? !Files.isRegularFile(reference.path()) : !Files.isDirectory(reference.path())) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS,
          (archive ? "no OCI archive file at " : "no OCI layout directory at ") + reference.path());
    }
    try {
      LayoutFiles files = archive ? new ArchiveLayoutFiles(reference.path()) : new DirectoryLayoutFiles(reference.path());
      if (!files.exists("index.json") || !files.exists("oci-layout")) {
        files.close();
        throw new BootjException(BootjException.Kind.IMAGE_ACCESS,
            reference.path() + " is not an OCI image layout: it has no index.json and oci-layout");
      }
      return new LayoutSource(reference, files);
    } catch (BootjException e) {
      throw e;
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "cannot read " + reference.path() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ResolvedImage resolve(Platform platform) throws IOException {
    ManifestParser indexParser = new ManifestParser("index.json of " + files.describe());
    JsonNode indexJson;
    try (InputStream in = files.open("index.json")) {
      indexJson = indexParser.readTree(in.readAllBytes());
    }
    ImageIndex top = (ImageIndex) indexParser.parseDocument(indexJson, dev.bootj.oci.manifest.MediaTypes.OCI_INDEX);
    Descriptor entry = pick(top);
    ManifestDocument document = readDocument(entry);
    if (document instanceof ImageManifest manifest) {
      return new ResolvedImage(entry.digest(), manifest, null, null);
    }
    ImageIndex index = (ImageIndex) document;
    Descriptor chosen = index.select(platform).orElseThrow(() -> new BootjException(BootjException.Kind.IMAGE_ACCESS,
        "image " + reference + " has no variant for " + platform + "; choose one with --platform"));
    if (!(readDocument(chosen) instanceof ImageManifest manifest)) {
      throw new BootjException(BootjException.Kind.INTEGRITY, "image " + reference + " nests indexes; bootj reads one level only");
    }
    return new ResolvedImage(chosen.digest(), manifest, chosen.platform(), entry.digest());
  }

  private Descriptor pick(ImageIndex index) throws BootjException {
    List<Descriptor> candidates = index.manifests();
    if (reference.tag() != null) {
      candidates = candidates.stream().filter(d -> reference.tag().equals(d.annotations().get(REF_NAME))).toList();
      if (candidates.isEmpty()) {
        throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "no image tagged '" + reference.tag() + "' in " + files.describe()
            + "; it has " + tags(index));
      }
    } else if (candidates.size() != 1) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, files.describe() + " holds " + candidates.size()
          + " images; name one with :TAG (it has " + tags(index) + ")");
    }
    return candidates.get(0);
  }

  private static String tags(ImageIndex index) {
    String tags = index.manifests().stream().map(d -> d.annotations().get(REF_NAME)).filter(t -> t != null)
        .map(t -> "'" + t + "'").collect(Collectors.joining(", "));
    return tags.isEmpty() ? "no tags" : "tags " + tags;
  }

  private ManifestDocument readDocument(Descriptor descriptor) throws IOException {
    byte[] bytes = readBlob(descriptor);
    Digest actual = Digest.of(bytes);
    if (!actual.equals(descriptor.digest())) {
      throw new DigestMismatchException("manifest " + descriptor.digest().shortHex() + " in " + files.describe(), descriptor.digest(), actual);
    }
    return new ManifestParser("manifest " + descriptor.digest().shortHex() + " in " + files.describe())
        .parseDocument(bytes, descriptor.mediaType());
  }

  private byte[] readBlob(Descriptor descriptor) throws IOException {
    try (InputStream in = openBlob(descriptor)) {
      return in.readAllBytes();
    }
  }

  private InputStream openBlob(Descriptor descriptor) throws IOException {
    try {
      return files.open("blobs/" + descriptor.digest().algorithm() + "/" + descriptor.digest().hex());
    } catch (NoSuchFileException e) {
      throw new BootjException(BootjException.Kind.INTEGRITY,
          files.describe() + " is incomplete: blob " + descriptor.digest() + " is missing");
    }
  }

  @Override
  public void fetch(Descriptor blob, OutputStream sink, LongConsumer progress) throws IOException {
    byte[] buffer = new byte[1 << 17];
    try (InputStream in = openBlob(blob)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sink.write(buffer, 0, n);
        progress.accept(n);
      }
    }
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
