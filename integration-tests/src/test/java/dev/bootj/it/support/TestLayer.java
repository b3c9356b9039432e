package dev.bootj.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files a test adds to an OS image under test, and the systemd units among them it enables.
 * {@link BootProbe} and {@link GuestShell} each provide one; {@link #plus} combines them so
 * that one {@code docker build} adds both, as a single layer on top of the image a user would
 * build, which keeps the image under test itself unchanged.
 *
 * <p>Every enabled unit must say {@code WantedBy=multi-user.target}: {@link #installInto}
 * enables units by writing that link itself, as {@code systemctl enable} would.
 *
 * @param files the files, each at an absolute path in the image
 * @param enabledUnits names of units (among the files, under /etc/systemd/system) to enable
 */
public record TestLayer(List<LayerFile> files, List<String> enabledUnits) {

  /** One file of the layer; text only, since tests add scripts and unit files. */
  public record LayerFile(String path, String content, boolean executable) {
    public LayerFile {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("not an absolute path in the image: " + path);
      }
    }

    String name() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  public TestLayer {
    files = List.copyOf(files);
    enabledUnits = List.copyOf(enabledUnits);
  }

  /** This layer's files and units followed by those of {@code other}. */
  public TestLayer plus(TestLayer other) {
    List<LayerFile> allFiles = new ArrayList<>(files);
    allFiles.addAll(other.files);
    List<String> allUnits = new ArrayList<>(enabledUnits);
    allUnits.addAll(other.enabledUnits);
    return new TestLayer(allFiles, allUnits);
  }

  /**
   * Writes a Containerfile adding this layer on top of {@code baseImage}, with its files, into
   * {@code context}; build it with that directory as the context. Returns the Containerfile.
   */
  public Path writeImageContext(Path context, String baseImage) throws IOException {
    Files.createDirectories(context);
    List<String> lines = new ArrayList<>(List.of("FROM " + baseImage));
    List<String> setup = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (LayerFile file : files) {
      // One COPY per file, never a whole tree onto /: COPY would also reset the modes of
      // existing directories such as /etc and /usr to those of the context's directories.
      if (!names.add(file.name())) {
        throw new IllegalStateException("two files of the layer are named " + file.name());
      }
      Files.writeString(context.resolve(file.name()), file.content());
      lines.add("COPY " + file.name() + " " + file.path());
      if (file.executable()) {
        setup.add("chmod 0755 " + file.path());
      }
    }
    for (String unit : enabledUnits) {
      setup.add("systemctl enable " + unit);
    }
    if (!setup.isEmpty()) {
      lines.add("RUN " + String.join(" && ", setup));
    }
    lines.add("");
    Path containerfile = context.resolve("Containerfile");
    Files.writeString(containerfile, String.join("\n", lines));
    return containerfile;
  }

  /** Adds the files to an unpacked root directory and enables the units. */
  public void installInto(Path root) throws IOException {
    for (LayerFile file : files) {
      Path target = root.resolve(file.path().substring(1));
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.content());
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(file.executable() ? "rwxr-xr-x" : "rw-r--r--"));
    }
    Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
    for (String unit : enabledUnits) {
      Files.createSymbolicLink(wants.resolve(unit), Path.of("../" + unit));
    }
  }
}
